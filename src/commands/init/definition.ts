import { Command, Option } from 'commander';
import { SERVER_VERSIONS } from '../../core/config/server-versions.js';
import { PERSISTENCE_PROFILES, PROFILES } from '../../core/config/deployment-choices.js';
import { TOPOLOGIES } from '../../core/redis/spec.js';

/**
 * `gridctl init`: write gridctl.yaml (from answers, flags or defaults) and render every file of a
 * hardened deployment from it; or, with --from, re-render from an existing gridctl.yaml. Flags and
 * help only: init/init.ts runs it.
 */
export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a hardened Redis deployment (redis.conf, ACL users, secrets, TLS, Sentinel/Cluster, systemd, compose, alerts, runbook) from one model, gridctl.yaml')
    .option('--dir <dir>', 'output directory (default: the current directory; with --from, next to gridctl.yaml)')
    .option('--from <gridctl.yaml>', 're-render every file from an existing gridctl.yaml (no questions)')
    .option('--name <name>', 'deployment name (default gridtokenx)')
    .addOption(new Option('--profile <profile>', 'environment profile').choices(PROFILES))
    .addOption(new Option('--topology <kind>', 'standalone | sentinel (1 master, 2 replicas, 3 sentinels) | cluster (3 masters, 3 replicas)').choices(TOPOLOGIES))
    .option('--tls', 'TLS-only listeners with mutual TLS (default in production and staging)')
    .option('--no-tls', 'no TLS (development)')
    .option('--maxmemory <size>', 'maxmemory per data node, e.g. 512mb, 2gb (default 1gb)')
    .addOption(new Option('--persistence <profile>', 'store (AOF always + RDB, noeviction) | hybrid | cache').choices(PERSISTENCE_PROFILES))
    .addOption(new Option('--server-version <version>', 'target server; nothing it does not know is rendered').choices(SERVER_VERSIONS))
    .option('--dry-run', 'print the plan (create / overwrite / unchanged) and write nothing', false)
    .option('--force', 'overwrite files that were changed since gridctl wrote them', false)
    .option('--rotate-secrets', 'generate new passwords for every ACL user (otherwise existing ones are kept)', false)
    .addHelpText(
      'after',
      `
On a terminal, init asks for profile, topology, TLS, maxmemory, persistence, server version and
output directory; each question is also a flag. --yes takes the defaults (production, sentinel,
TLS, 1gb, store, 7.0). Without a terminal and without --yes it exits 3 instead of waiting.

Writes: gridctl.yaml, users.acl, redis/<node>.conf, sentinel/<sentinel>.conf, secrets/*.env (0600,
git-ignored), tls/ (own CA, a certificate per process, app and gridctl client certificates; keys
0600), scripts/cluster-create.sh, docker-compose.yml, systemd/ units, cron/ backup example,
monitoring/ (Prometheus rules, Grafana dashboard), .env.example, RUNBOOK.md, .gitignore.
Re-running with the same gridctl.yaml changes nothing; passwords are kept unless --rotate-secrets.
Files edited by hand (or rewritten by a running sentinel) are not overwritten without --force.

Needs no Redis connection and no ACL permissions; openssl must be on PATH when TLS is on.

Exit codes: 0 written (or planned with --dry-run) · 2 cancelled at a prompt
            3 usage: no terminal and no --yes, invalid gridctl.yaml, files changed (use --force)

Examples:
  $ gridctl init                                         answer the questions
  $ gridctl init --yes --dir deploy/redis                production defaults into deploy/redis
  $ gridctl init --yes --topology cluster --server-version 7.4
  $ gridctl init --from gridctl.yaml --dry-run           what a re-render would change
  $ gridctl init --from gridctl.yaml --rotate-secrets    new passwords for every user
  $ gridctl up --from .                                  run exactly these files locally`,
    );
}
