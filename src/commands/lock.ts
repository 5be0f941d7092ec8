import { Command } from 'commander';
import { contextFromCommand, type CommandContext } from './context.js';
import { GridctlError, usageError } from '../core/errors.js';
import { parseOptions } from './parse-options.js';
import type { LockListReport } from '../core/lock/list.js';
import type { LockEntry } from '../core/lock/describe.js';
import type { AcquireReport } from '../core/lock/acquire.js';
import type { LockBackend } from '../core/lock/backend.js';
import type { ExtendReport, ReleaseReport } from '../core/lock/reports.js';
import type { RunUnderLockResult } from '../core/lock/run-under-lock.js';
import type { LockSettings } from '../core/lock/settings.js';
import type { Coverage } from '../core/redis/coverage.js';

/**
 * `gridctl lock`: find, inspect, take and safely release the gateway's locks
 * (`SET lock:{resource} token NX EX|PX`), and run a command under one.
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

/** Option schemas live in lock-options.ts so `gridctl --help` does not load zod. */
const schemas = () => import('./lock-options.js');

async function settingsFor(ctx: CommandContext): Promise<LockSettings> {
  const loaded = await ctx.loadConfig();
  const path = await import('node:path');
  const { resolveLockSettings } = await import('../core/lock/settings.js');
  return resolveLockSettings(loaded.config.lock, process.env, loaded.path ? path.dirname(loaded.path) : process.cwd());
}

async function ttlOf(text: string, what: string, min = 100): Promise<number> {
  const { parseDuration } = await import('../core/duration.js');
  const ms = parseDuration(text, what);
  if (ms < min) {
    throw usageError(`${what} must be at least ${min} ms`);
  }
  return ms;
}

/** The lock backend for a key: the deployment from --url/--target/..., or a Redlock over --redlock URLs. */
async function openBackend(ctx: CommandContext, key: string, redlock: string | undefined, ttlMs?: number): Promise<LockBackend> {
  if (!redlock) {
    const { SingleInstanceLock } = await import('../core/lock/single-lock.js');
    return new SingleInstanceLock(await ctx.openDeployment(), key);
  }
  const urls = redlock.split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length < 3) throw usageError(`--redlock needs at least 3 independent masters, got ${urls.length}`, 'e.g. --redlock redis://a:6379,redis://b:6379,redis://c:6379');
  const { endpointLabel } = await import('../core/redis/connect.js');
  const { RedlockLock } = await import('../core/lock/redlock.js');
  // Redlock must not wait on one slow master for longer than a small part of the TTL.
  const timeoutMs = ttlMs ? Math.max(50, Math.min(ctx.timeoutMs, Math.floor(ttlMs / 10))) : ctx.timeoutMs;
  const specs = await Promise.all(
    urls.map(async (url) => {
      const spec = await ctx.instanceSpec(url, timeoutMs);
      return { address: endpointLabel(spec.nodes[0]!), spec };
    }),
  );
  return RedlockLock.open(key, specs);
}

async function keyFor(ctx: CommandContext, name: string, exact: boolean | undefined): Promise<{ key: string; settings: LockSettings }> {
  const settings = await settingsFor(ctx);
  const { lockKeyFor } = await import('../core/lock/settings.js');
  return { key: lockKeyFor(name, settings.prefix, exact), settings };
}

/** Redis errors (NOPERM, timeouts) become the documented exit codes: 4 permission, 5 unreachable. */
async function classified<T>(dep: import('../core/redis/deployment.js').Deployment, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const { classifyRedisError } = await import('../core/redis/errors.js');
    const { errorContext } = await import('../core/redis/connect.js');
    throw classifyRedisError(err, errorContext(dep.spec, dep.spec.source));
  }
}

// ---- list -------------------------------------------------------------------------------------

export async function runLockList(opts: { pattern?: string[]; expiringBelow?: string }, ctx: CommandContext): Promise<LockListReport> {
  const o = parseOptions((await schemas()).listSchema, opts, 'lock');
  const settings = await settingsFor(ctx);
  if (o.pattern?.length) settings.patterns = o.pattern;
  if (o.expiringBelow) settings.expiringBelowMs = await ttlOf(o.expiringBelow, '--expiring-below', 0);
  const dep = await ctx.openDeployment();
  try {
    const { listLocks } = await import('../core/lock/list.js');
    return await listLocks(dep, settings);
  } finally {
    await dep.close();
  }
}

// ---- inspect ----------------------------------------------------------------------------------

export async function runLockInspect(name: string, opts: { key?: boolean }, ctx: CommandContext): Promise<LockEntry & { coverage: Coverage }> {
  parseOptions((await schemas()).nameArg, name, 'lock');
  const { key, settings } = await keyFor(ctx, name, opts.key);
  const dep = await ctx.openDeployment();
  try {
    const { inspectLock } = await import('../core/lock/inspect.js');
    const entry = await classified(dep, () => inspectLock(dep.client, key, settings));
    if (!entry) {
      throw new GridctlError('NOT_FOUND', `no lock ${key}`, { hint: '`gridctl lock list` shows every lock; pass --key if NAME is the exact key' });
    }
    return { ...entry, coverage: await dep.coverage() };
  } finally {
    await dep.close();
  }
}

// ---- acquire / extend / release ---------------------------------------------------------------

export async function runLockAcquire(name: string, opts: { ttl: string; wait?: string; redlock?: string; key?: boolean }, ctx: CommandContext): Promise<AcquireReport> {
  const o = parseOptions((await schemas()).acquireSchema, opts, 'lock');
  parseOptions((await schemas()).nameArg, name, 'lock');
  const ttlMs = await ttlOf(o.ttl, '--ttl');
  const waitMs = await ttlOf(o.wait, '--wait', 0);
  const { key } = await keyFor(ctx, name, o.key);
  const backend = await openBackend(ctx, key, o.redlock, ttlMs);
  try {
    const { acquireWithWait } = await import('../core/lock/acquire.js');
    return await acquireWithWait(backend, { ttlMs, waitMs });
  } finally {
    await backend.close();
  }
}

export async function runLockExtend(name: string, opts: { ttl: string; token: string; redlock?: string; key?: boolean }, ctx: CommandContext): Promise<ExtendReport> {
  const o = parseOptions((await schemas()).extendSchema, opts, 'lock');
  const ttlMs = await ttlOf(o.ttl, '--ttl');
  const { key } = await keyFor(ctx, name, o.key);
  const backend = await openBackend(ctx, key, o.redlock, ttlMs);
  try {
    return { key, ttlMs, ...(await backend.extend(o.token, ttlMs)), coverage: await backend.coverage() };
  } finally {
    await backend.close();
  }
}

export async function runLockRelease(
  name: string,
  opts: { token?: string; force?: boolean; reason?: string; dryRun?: boolean; redlock?: string; key?: boolean },
  ctx: CommandContext,
): Promise<ReleaseReport> {
  const o = parseOptions((await schemas()).releaseSchema, opts, 'lock');
  const { key, settings } = await keyFor(ctx, name, o.key);
  if (o.token) {
    const backend = await openBackend(ctx, key, o.redlock);
    try {
      if (o.dryRun) return { key, mode: backend.mode, released: false, instances: [], dryRun: true, coverage: await backend.coverage() };
      return { key, mode: backend.mode, dryRun: false, ...(await backend.release(o.token)), coverage: await backend.coverage() };
    } finally {
      await backend.close();
    }
  }
  const { shortenToken } = await import('../core/lock/format.js');
  const dep = await ctx.openDeployment();
  try {
    const { inspectLock } = await import('../core/lock/inspect.js');
    const entry = await classified(dep, () => inspectLock(dep.client, key, settings));
    if (!entry) throw new GridctlError('NOT_FOUND', `no lock ${key}; nothing to release`, { hint: '`gridctl lock list` shows every lock' });
    const holder = entry.token !== undefined ? `token ${shortenToken(entry.token)}` : entry.holders ? `holders ${entry.holders.map((h) => h.owner).join(', ')}` : `a ${entry.type}`;
    const ttl = entry.ttlMs === null ? 'no TTL' : `${entry.ttlMs} ms left`;
    if (!o.dryRun) await confirmForce(ctx, `Remove ${key} held by ${holder} (${ttl})? The holder will believe it still owns it.`);
    const { forceReleaseLock } = await import('../core/lock/force-release.js');
    const report = await classified(dep, () => forceReleaseLock(dep.client, entry, {
      auditLog: settings.auditLog,
      target: dep.spec.source,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.dryRun ? { dryRun: true } : {}),
    }));
    return { ...report, force: true, coverage: await dep.coverage() };
  } finally {
    await dep.close();
  }
}

/** Destructive: ask on a terminal, require --yes otherwise (never hang a cron job on a prompt). */
async function confirmForce(ctx: CommandContext, message: string): Promise<void> {
  const { confirmDestructive } = await import('../ui/confirm.js');
  const ok = await confirmDestructive(ctx, message, { what: 'force-release a lock', hint: 'check the holder with `gridctl lock inspect NAME` first, then re-run with --yes' });
  if (!ok) throw new GridctlError('CANCELLED', 'not released (declined)');
}

// ---- run --------------------------------------------------------------------------------------

export async function runLockRun(
  name: string,
  command: string[],
  opts: { ttl: string; wait?: string; redlock?: string; key?: boolean },
  ctx: CommandContext,
): Promise<RunUnderLockResult> {
  const o = parseOptions((await schemas()).acquireSchema, opts, 'lock');
  const ttlMs = await ttlOf(o.ttl, '--ttl', 300);
  const waitMs = await ttlOf(o.wait, '--wait', 0);
  const { key } = await keyFor(ctx, name, o.key);
  const backend = await openBackend(ctx, key, o.redlock, ttlMs);
  try {
    const { runUnderLock } = await import('../core/lock/run-under-lock.js');
    return await runUnderLock({
      backend,
      ttlMs,
      waitMs,
      command,
      onEvent: (m, level) => (level === 'warn' ? ctx.out.warn(`gridctl: ${m}`) : ctx.out.debug(`gridctl: ${m}`)),
    });
  } finally {
    await backend.close();
  }
}

// ---- definition -------------------------------------------------------------------------------

function sub(name: string, description: string): Command {
  // Nested commands need their own exitOverride: main.ts sets it on top-level commands only.
  return new Command(name).description(description).exitOverride();
}

export function lockCommand(): Command {
  const lock = new Command('lock')
    .description('find, inspect, take and safely release locks (SET lock:{resource} token NX PX); run a command under a lock')
    .addHelpText('after', `${EXIT_HELP}\n${ACL_HELP}\n\nDocs: docs/lock.md`);

  lock.addCommand(
    sub('list', 'every lock on every master: resource, token, TTL, state (held / expiring / stuck: no TTL), format, idle time')
      .option('--pattern <glob...>', 'SCAN MATCH pattern(s) (default from gridctl.yaml lock.patterns, else lock:*)')
      .option('--expiring-below <duration>', 'report locks with less TTL left as expiring (default 5s)')
      .addHelpText('after', `\nExamples:\n  $ gridctl lock list\n  $ gridctl lock list --pattern 'lock:*' --pattern 'redisson_lock:*' --json\n${ACL_HELP}`)
      .action(async (opts: { pattern?: string[]; expiringBelow?: string }, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const report = await runLockList(opts, ctx);
        const { renderLockList } = await import('../ui/views/lock-view.js');
        renderLockList(report, ctx.out);
        if (report.summary.stuck > 0) process.exitCode = 1;
      }),
  );

  lock.addCommand(
    sub('inspect', 'one lock in detail (exit 1 when it does not exist)')
      .argument('<name>', 'lock NAME (key lock:NAME) or, with --key, the exact key')
      .option('--key', 'NAME is the exact key (e.g. a Redisson lock)')
      .addHelpText('after', `\nExamples:\n  $ gridctl lock inspect order_matching:GRX-THB\n  $ gridctl lock inspect myLock --key --json`)
      .action(async (name: string, opts: { key?: boolean }, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const entry = await runLockInspect(name, opts, ctx);
        const { renderLockEntry } = await import('../ui/views/lock-view.js');
        renderLockEntry(entry, ctx.out);
        if (entry.state === 'stuck') process.exitCode = 1;
      }),
  );

  lock.addCommand(
    sub('acquire', 'take a lock and print its token (exit 1 LOCKED when held)')
      .argument('<name>', 'lock NAME')
      .requiredOption('--ttl <duration>', 'lock TTL, e.g. 30s')
      .option('--wait <duration>', 'keep trying this long (default 0: one try)')
      .option('--redlock <urls>', 'comma-separated URLs of independent masters: use the Redlock algorithm')
      .option('--key', 'NAME is the exact key')
      .addHelpText('after', `\nThe token goes to stdout, so: T=$(gridctl lock acquire nightly --ttl 5m)\n\nExamples:\n  $ gridctl lock acquire settlement_processing --ttl 30s --wait 10s\n  $ gridctl lock acquire nightly --ttl 1m --redlock redis://r1:6379,redis://r2:6379,redis://r3:6379`)
      .action(async (name: string, opts: { ttl: string; wait?: string; redlock?: string; key?: boolean }, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const report = await runLockAcquire(name, opts, ctx);
        const { renderAcquire } = await import('../ui/views/lock-view.js');
        renderAcquire(report, ctx.out);
      }),
  );

  lock.addCommand(
    sub('extend', 'extend a lock you hold (compare-and-pexpire); exit 1 when the token no longer holds it')
      .argument('<name>', 'lock NAME')
      .requiredOption('--token <token>', 'the token acquire printed')
      .requiredOption('--ttl <duration>', 'new TTL from now')
      .option('--redlock <urls>', 'comma-separated URLs of independent masters')
      .option('--key', 'NAME is the exact key')
      .addHelpText('after', `\nExample:\n  $ gridctl lock extend nightly --token "$T" --ttl 5m`)
      .action(async (name: string, opts: { ttl: string; token: string; redlock?: string; key?: boolean }, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const report = await runLockExtend(name, opts, ctx);
        const { renderExtend } = await import('../ui/views/lock-view.js');
        renderExtend(report, ctx.out);
        if (!report.extended) process.exitCode = 1;
      }),
  );

  lock.addCommand(
    sub('release', 'release by token (atomic compare-and-delete), or --force with confirmation and an audit record')
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
      )
      .action(async (name: string, opts: { token?: string; force?: boolean; reason?: string; dryRun?: boolean; redlock?: string; key?: boolean }, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const report = await runLockRelease(name, opts, ctx);
        const { renderRelease } = await import('../ui/views/lock-view.js');
        renderRelease(report, ctx.out);
        const ok = 'force' in report ? report.outcome === 'removed' || report.outcome === 'dry-run' : report.released || report.dryRun;
        if (!ok) process.exitCode = 1;
      }),
  );

  lock.addCommand(
    sub('run', 'run a command while holding a lock (cron-safe); exit 1 LOCKED when another run holds it')
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
      )
      .action(async (name: string, command: string[], opts: { ttl: string; wait?: string; redlock?: string; key?: boolean }, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const result = await runLockRun(name, command, opts, ctx);
        if (ctx.json) ctx.out.printJson(result);
        if (result.lockLost) {
              throw new GridctlError('LOCK_LOST', `lock ${result.key} was lost while the command ran (${result.lostReason}); the command was stopped (exit ${result.exitCode})`, {
            hint: 'another process may have run concurrently; raise --ttl or check the connection to Redis',
            details: { ...result },
          });
        }
        process.exitCode = result.exitCode;
      }),
  );
  return lock;
}
