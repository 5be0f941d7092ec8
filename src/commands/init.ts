import path from 'node:path';
import { Command, Option } from 'commander';
import { contextFromCommand, type CommandContext } from './context.js';
import { GridctlError } from '../core/errors.js';
import type { ScaffoldResult } from '../core/scaffold/scaffold.js';
import type { InitAnswers } from '../core/scaffold/model.js';

export interface InitCommandOptions {
  /** Output directory (fresh init). */
  dir?: string;
  /** Re-render from this gridctl.yaml (files go next to it). */
  from?: string;
  name?: string;
  topology?: InitAnswers['topology'];
  profile?: InitAnswers['profile'];
  tls?: boolean;
  maxmemory?: string;
  persistence?: InitAnswers['persistence'];
  serverVersion?: InitAnswers['version'];
  dryRun: boolean;
  force: boolean;
  rotateSecrets: boolean;
}

/** The answers init asks for, each of which is also a flag. */
const QUESTIONS = ['profile', 'topology', 'tls', 'maxmemory', 'persistence', 'serverVersion', 'dir'] as const;
const FLAG_OF: Record<(typeof QUESTIONS)[number], string> = {
  profile: '--profile',
  topology: '--topology',
  tls: '--tls/--no-tls',
  maxmemory: '--maxmemory',
  persistence: '--persistence',
  serverVersion: '--server-version',
  dir: '--dir',
};

/**
 * `gridctl init`: write gridctl.yaml (from answers, flags or defaults) and render every file of a
 * hardened deployment from it; or, with --from, re-render from an existing gridctl.yaml.
 */
export async function runInit(opts: InitCommandOptions, ctx: CommandContext): Promise<ScaffoldResult> {
  const { scaffold } = await import('../core/scaffold/scaffold.js');
  const common = { dryRun: opts.dryRun, force: opts.force, rotateSecrets: opts.rotateSecrets };
  if (opts.from) {
    const answered = QUESTIONS.filter((q) => q !== 'dir' && opts[q] !== undefined);
    if (answered.length || opts.name) {
      throw new GridctlError('USAGE', `--from re-renders gridctl.yaml as it is; ${[...answered.map((q) => FLAG_OF[q]), ...(opts.name ? ['--name'] : [])].join(', ')} cannot be combined with it`, {
        hint: 'edit gridctl.yaml instead, then run `gridctl init --from gridctl.yaml`',
      });
    }
    const { loadConfig } = await import('../core/config/load.js');
    const loaded = await loadConfig(opts.from, { required: true });
    return scaffold({ outDir: opts.dir ?? path.dirname(loaded.path!), config: loaded.config, writeModel: false, ...common });
  }

  const answers = await collectAnswers(opts, ctx);
  const { buildInitialConfig } = await import('../core/scaffold/model.js');
  return scaffold({ outDir: answers.dir, config: buildInitialConfig(answers), writeModel: true, ...common });
}

/** Flags first; then --yes (defaults) or prompts on a TTY; otherwise a usage error, never a hang. */
async function collectAnswers(opts: InitCommandOptions, ctx: CommandContext): Promise<InitAnswers & { dir: string }> {
  const { defaultAnswers } = await import('../core/scaffold/model.js');
  const missing = QUESTIONS.filter((q) => opts[q] === undefined);
  const given: Partial<InitAnswers> = {};
  if (opts.name) given.name = opts.name;
  if (opts.profile) given.profile = opts.profile;
  if (opts.topology) given.topology = opts.topology;
  if (opts.tls !== undefined) given.tls = opts.tls;
  if (opts.maxmemory) given.maxmemory = opts.maxmemory;
  if (opts.persistence) given.persistence = opts.persistence;
  if (opts.serverVersion) given.version = opts.serverVersion;
  if (!missing.length || ctx.yes) return { ...defaultAnswers(given), dir: opts.dir ?? '.' };
  if (!ctx.interactive) {
    throw new GridctlError('CONFIRMATION_REQUIRED', 'gridctl init asks questions, but this is not a terminal', {
      hint: `pass --yes to take the defaults, or answer with flags: ${missing.map((q) => FLAG_OF[q]).join(' ')}`,
    });
  }
  return promptAnswers(given, opts.dir);
}

async function promptAnswers(given: Partial<InitAnswers>, dir: string | undefined): Promise<InitAnswers & { dir: string }> {
  const { select, confirm, input } = await import('@inquirer/prompts');
  const { defaultAnswers } = await import('../core/scaffold/model.js');
  const { SERVER_VERSIONS } = await import('../core/config/schema-deployment.js');
  // Prompts go to stderr: stdout carries only the result (the plan).
  const io = { output: process.stderr };
  try {
    const profile = given.profile ?? (await select({ message: 'Environment profile', choices: [
      { value: 'production' as const, description: 'TLS, Sentinel, AOF fsync always' },
      { value: 'staging' as const },
      { value: 'development' as const, description: 'standalone, no TLS by default' },
    ] }, io));
    const d = defaultAnswers({ ...given, profile });
    const topology = given.topology ?? (await select({ message: 'Topology', default: d.topology, choices: [
      { value: 'standalone' as const, description: '1 node' },
      { value: 'sentinel' as const, description: '1 master, 2 replicas, 3 sentinels' },
      { value: 'cluster' as const, description: '3 masters, 3 replicas' },
    ] }, io));
    const tls = given.tls ?? (await confirm({ message: 'TLS (mutual, TLSv1.2+TLSv1.3)?', default: defaultAnswers({ ...given, profile, topology }).tls }, io));
    const maxmemory = given.maxmemory ?? (await input({ message: 'maxmemory per node', default: d.maxmemory, validate: (v) => /^\d+(kb|mb|gb|k|m|g)?$/i.test(v) || 'a size such as 512mb or 2gb' }, io));
    const persistence = given.persistence ?? (await select({ message: 'Persistence', default: d.persistence, choices: [
      { value: 'store' as const, description: 'order book, locks, queues: AOF fsync always + RDB, noeviction' },
      { value: 'hybrid' as const, description: 'AOF everysec + RDB; keys with a TTL may be evicted (locks too)' },
      { value: 'cache' as const, description: 'RDB only, allkeys-lru: anything may be evicted' },
    ] }, io));
    const version = given.version ?? (await select({ message: 'Server version', default: d.version, choices: SERVER_VERSIONS.map((v) => ({ value: v })) }, io));
    const outDir = dir ?? (await input({ message: 'Output directory', default: '.' }, io));
    return { ...defaultAnswers({ ...given, profile, topology, tls, maxmemory, persistence, version }), dir: outDir };
  } catch (err) {
    if ((err as Error)?.name === 'ExitPromptError') throw new GridctlError('CANCELLED', 'init cancelled; nothing was written');
    throw err;
  }
}

export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a hardened Redis deployment (redis.conf, ACL users, secrets, TLS, Sentinel/Cluster, systemd, compose, alerts, runbook) from one model, gridctl.yaml')
    .option('--dir <dir>', 'output directory (default: the current directory; with --from, next to gridctl.yaml)')
    .option('--from <gridctl.yaml>', 're-render every file from an existing gridctl.yaml (no questions)')
    .option('--name <name>', 'deployment name (default gridtokenx)')
    .addOption(new Option('--profile <profile>', 'environment profile').choices(['production', 'staging', 'development']))
    .addOption(new Option('--topology <kind>', 'standalone | sentinel (1 master, 2 replicas, 3 sentinels) | cluster (3 masters, 3 replicas)').choices(['standalone', 'sentinel', 'cluster']))
    .option('--tls', 'TLS-only listeners with mutual TLS (default in production and staging)')
    .option('--no-tls', 'no TLS (development)')
    .option('--maxmemory <size>', 'maxmemory per data node, e.g. 512mb, 2gb (default 1gb)')
    .addOption(new Option('--persistence <profile>', 'store (AOF always + RDB, noeviction) | hybrid | cache').choices(['store', 'cache', 'hybrid']))
    .addOption(new Option('--server-version <version>', 'target server; nothing it does not know is rendered').choices(['7.0', '7.2', '7.4', 'valkey-8']))
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
    )
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFromCommand(cmd);
      const raw = cmd.opts() as Record<string, unknown>;
      const { z } = await import('zod');
      const parsed = z
        .object({
          dir: z.string().min(1).optional(),
          from: z.string().min(1).optional(),
          name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -').optional(),
          profile: z.enum(['production', 'staging', 'development']).optional(),
          topology: z.enum(['standalone', 'sentinel', 'cluster']).optional(),
          tls: z.boolean().optional(),
          maxmemory: z.string().regex(/^\d+(kb|mb|gb|k|m|g)?$/i, 'a size such as 512mb or 2gb').optional(),
          persistence: z.enum(['store', 'cache', 'hybrid']).optional(),
          serverVersion: z.enum(['7.0', '7.2', '7.4', 'valkey-8']).optional(),
          dryRun: z.boolean(),
          force: z.boolean(),
          rotateSecrets: z.boolean(),
        })
        .safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new GridctlError('USAGE', `invalid --${String(issue.path[0] ?? '')}: ${issue.message}`);
      }
      const result = await runInit(parsed.data as InitCommandOptions, ctx);
      const { renderInit } = await import('../ui/views/init-view.js');
      renderInit(result, ctx.out);
    });
}
