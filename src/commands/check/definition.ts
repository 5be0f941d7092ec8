import { Command, Option } from 'commander';
import { SERVER_VERSIONS } from '../../core/config/server-versions.js';
import { CHECK_FORMATS } from '../../core/lint/formats.js';

/** `gridctl check`: flags and help only; check/check.ts runs it. */
export function checkCommand(): Command {
  return new Command('check')
    .description('lint redis.conf, ACL files and sentinel.conf for CI (exact Redis parsing, hardening rules); --boot and --live for ground truth')
    .argument('[paths...]', 'files or directories (default: check.files in gridctl.yaml)')
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default('human'))
    .option('--strict', 'warnings fail the check too (exit 1)')
    .option('--max-warnings <n>', 'fail when there are more than n warnings')
    .option('--boot', 'also start redis-server on a throwaway copy of each file (loopback ports) and report whether it boots')
    .option('--redis-server <path>', 'redis-server binary for --boot (default: PATH)')
    .option('--live [url]', 'compare with a running server (URL, or --url / --target / REDIS_URL): drift per directive and per user')
    .addOption(new Option('--redis-version <v>', 'target version (default: check.version / server.version in gridctl.yaml, else 7.0)').choices(SERVER_VERSIONS))
    .option('--list-rules', 'list every rule (ID, severity, title) and exit')
    .option('--explain <id>', 'explain one rule: why, how to fix, docs link')
    .addHelpText(
      'after',
      `
Files: redis.conf (includes are followed), sentinel.conf and ACL files; a directory is searched for
*.conf and *.acl. Every finding points at file:line. With a gridctl.yaml the rules also know the
profile (store/cache), namespaces, topology, target version, node addresses and user roles; rules
can be disabled or re-levelled under check.rules, each with a reason.

Exit codes: 0 clean · 1 errors (or warnings with --strict / over --max-warnings) · 3 usage or bad gridctl.yaml
            4/5 only with --live (authentication / unreachable)

ACL permissions (--live only): +config|get +acl|list +info

Examples:
  $ gridctl check /etc/redis/redis.conf                 lint one file (and its includes)
  $ gridctl check deploy/ --strict                      every .conf/.acl below deploy/, warnings fail
  $ gridctl check deploy/ --format sarif > check.sarif  GitHub code scanning
  $ gridctl check deploy/ --format github               workflow annotations
  $ gridctl check redis.conf --boot                     and prove redis-server accepts it
  $ gridctl check redis.conf --live redis://monitor@10.0.0.5:6379 --password-file monitor.pass
  $ gridctl check --list-rules
  $ gridctl check --explain AUTH013`,
    );
}
