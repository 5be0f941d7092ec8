import { Command } from 'commander';
import { subcommand } from '../subcommand.js';

/**
 * `gridctl lock`: find, inspect, take and safely release the gateway's locks
 * (`SET lock:{resource} token NX EX|PX`), and run a command under one. Flags and help only: each
 * subcommand's module (lock/<name>.ts) is loaded when it runs (see registry.ts).
 */

const ACL_HELP = `
ACL permissions (see docs/lock.md):
  list, inspect      +scan +type +pttl +get +hgetall +object|idletime (read-only is enough)
  acquire            +set (and +type +get to name the holder when it is taken)
  extend             +eval, and inside the script +get +pexpire
  release            +eval, and inside the script +type +get +hexists +del
  release --force    +type +pttl +get +hgetall +eval, and inside the script +hlen +hexists +del
  run                acquire + extend + release
  every command      +ping (connection check); Cluster also +cluster|slots +cluster|nodes`;

const EXIT_HELP = `
Exit codes: 0 ok · 1 LOCKED (already locked: acquire/run), not released (wrong token / no such lock), lock lost
during run, NOT_FOUND (inspect) · 2 declined · 3 usage, CONFIRMATION_REQUIRED (--force without a TTY or --yes)
· 4 permission denied · 5 unreachable (incl. Redlock quorum unreachable). \`lock run\` otherwise exits with the
command's own code (128+N when it was killed by signal N).`;

export function lockCommand(): Command {
  return new Command('lock')
    .description('find, inspect, take and safely release locks (SET lock:{resource} token NX PX); run a command under a lock')
    .addHelpText('after', `${EXIT_HELP}\n${ACL_HELP}\n\nDocs: docs/lock.md`)
    .addCommand(listCommand())
    .addCommand(inspectCommand())
    .addCommand(acquireCommand())
    .addCommand(extendCommand())
    .addCommand(releaseCommand())
    .addCommand(runCommand());
}

function listCommand(): Command {
  return subcommand('list', 'every lock on every master: resource, token, TTL, state (held / expiring / stuck: no TTL), format, idle time')
    .option('--pattern <glob...>', 'SCAN MATCH pattern(s) (default from gridctl.yaml lock.patterns, else lock:*)')
    .option('--expiring-below <duration>', 'report locks with less TTL left as expiring (default 5s)')
    .addHelpText('after', `\nExamples:\n  $ gridctl lock list\n  $ gridctl lock list --pattern 'lock:*' --pattern 'redisson_lock:*' --json\n${ACL_HELP}`);
}

function inspectCommand(): Command {
  return subcommand('inspect', 'one lock in detail (exit 1 when it does not exist)')
    .argument('<name>', 'lock NAME (key lock:NAME) or, with --key, the exact key')
    .option('--key', 'NAME is the exact key (e.g. a Redisson lock)')
    .addHelpText('after', `\nExamples:\n  $ gridctl lock inspect order_matching:GRX-THB\n  $ gridctl lock inspect myLock --key --json`);
}

function acquireCommand(): Command {
  return subcommand('acquire', 'take a lock and print its token (exit 1 LOCKED when held)')
    .argument('<name>', 'lock NAME')
    .requiredOption('--ttl <duration>', 'lock TTL, e.g. 30s')
    .option('--wait <duration>', 'keep trying this long (default 0: one try)')
    .option('--redlock <urls>', 'comma-separated URLs of independent masters: use the Redlock algorithm')
    .option('--key', 'NAME is the exact key')
    .addHelpText('after', `\nThe token goes to stdout, so: T=$(gridctl lock acquire nightly --ttl 5m)\n\nExamples:\n  $ gridctl lock acquire settlement_processing --ttl 30s --wait 10s\n  $ gridctl lock acquire nightly --ttl 1m --redlock redis://r1:6379,redis://r2:6379,redis://r3:6379`);
}

function extendCommand(): Command {
  return subcommand('extend', 'extend a lock you hold (compare-and-pexpire); exit 1 when the token no longer holds it')
    .argument('<name>', 'lock NAME')
    .requiredOption('--token <token>', 'the token acquire printed')
    .requiredOption('--ttl <duration>', 'new TTL from now')
    .option('--redlock <urls>', 'comma-separated URLs of independent masters')
    .option('--key', 'NAME is the exact key')
    .addHelpText('after', `\nExample:\n  $ gridctl lock extend nightly --token "$T" --ttl 5m`);
}

function releaseCommand(): Command {
  return subcommand('release', 'release by token (atomic compare-and-delete), or --force with confirmation and an audit record')
    .argument('<name>', 'lock NAME')
    .option('--token <token>', 'delete only if the lock still holds this token')
    .option('--force', 'delete whatever holds it (asks on a TTY, needs --yes otherwise); prints the removed token')
    .option('--reason <text>', 'why (recorded in the audit log with --force)')
    .option('--dry-run', 'show what would be released; change nothing')
    .option('--redlock <urls>', 'comma-separated URLs of independent masters (with --token): release on all')
    .option('--key', 'NAME is the exact key')
    .addHelpText(
      'after',
      `\nForced releases are appended to a JSON-lines audit log: lock.auditLog in gridctl.yaml, else $GRIDCTL_AUDIT_LOG,\nelse $XDG_STATE_HOME/gridctl/audit.jsonl (~/.local/state/gridctl/audit.jsonl).\n\nExamples:\n  $ gridctl lock release nightly --token "$T"\n  $ gridctl lock release order_matching:GRX-THB --force --reason "engine pod gone" --yes`,
    );
}

function runCommand(): Command {
  return subcommand('run', 'run a command while holding a lock (cron-safe); exit 1 LOCKED when another run holds it')
    .argument('<name>', 'lock NAME')
    .argument('<command...>', 'the command, after --')
    .requiredOption('--ttl <duration>', 'lock TTL; extended every ttl/3 while the command runs')
    .option('--wait <duration>', 'wait this long for the lock (default 0: exit 1 at once)')
    .option('--redlock <urls>', 'comma-separated URLs of independent masters')
    .option('--key', 'NAME is the exact key')
    .addHelpText(
      'after',
      `
Signals (INT, TERM, HUP, QUIT, USR1, USR2) are forwarded to the command. The command sees
GRIDCTL_LOCK_KEY and GRIDCTL_LOCK_TOKEN. If the lock is lost (taken over, or no extension succeeds
before it expires) the command gets SIGTERM (SIGKILL 5 s later) and gridctl exits 1 saying so.
Otherwise gridctl exits with the command's code.

Examples:
  $ gridctl lock run nightly-settlement --ttl 30s -- ./settle.sh --date today
  */5 * * * * gridctl lock run meter-import --ttl 1m --wait 0 -- /opt/gateway/import.sh`,
    );
}
