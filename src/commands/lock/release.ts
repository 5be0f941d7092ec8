import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { classified, exactKey, lockKey, lockName, openBackend, redlockUrls, tokenText } from './shared.js';
import { GridctlError } from '../../core/errors.js';
import { inspectLock } from '../../core/lock/inspect.js';
import { forceReleaseLock } from '../../core/lock/force-release.js';
import type { LockSettings } from '../../core/lock/settings.js';
import type { ReleaseReport } from '../../core/lock/reports.js';
import { describeHolder, renderRelease } from '../../ui/views/lock-view.js';

const lockReleaseOptions = z
  .strictObject({
    name: lockName,
    token: z.optional(tokenText),
    force: z.optional(z.boolean()),
    reason: z.optional(z.string()),
    dryRun: z.optional(z.boolean()),
    redlock: redlockUrls,
    key: exactKey,
  })
  .check(
    z.refine((o) => Boolean(o.token) !== Boolean(o.force), { message: 'give exactly one of --token T (safe release) or --force' }),
    z.refine((o) => !(o.force && o.redlock), { message: '--force works on one deployment; use --token with --redlock' }),
  );

type LockReleaseOptions = z.infer<typeof lockReleaseOptions>;

/** `gridctl lock release NAME`: by token (compare-and-delete), or --force after a confirmation, with an audit record. */
export default defineCommand({
  options: lockReleaseOptions,
  async run(opts: LockReleaseOptions, ctx): Promise<ReleaseReport> {
    const { key, settings } = await lockKey(ctx, opts.name, opts.key);
    return opts.token ? releaseByToken(ctx, key, opts.token, opts) : forceRelease(ctx, key, settings, opts);
  },
  render: (report, out) => renderRelease(report, out),
  verdict: (report) => (released(report) ? 0 : 1),
});

function released(report: ReleaseReport): boolean {
  return 'force' in report ? report.outcome === 'removed' || report.outcome === 'dry-run' : report.released || report.dryRun;
}

async function releaseByToken(ctx: CommandContext, key: string, token: string, opts: LockReleaseOptions): Promise<ReleaseReport> {
  const backend = await openBackend(ctx, key, opts.redlock);
  try {
    if (opts.dryRun) return { key, mode: backend.mode, released: false, instances: [], dryRun: true, coverage: await backend.coverage() };
    return { key, mode: backend.mode, dryRun: false, ...(await backend.release(token)), coverage: await backend.coverage() };
  } finally {
    await backend.close();
  }
}

/** Destructive: the operator sees who holds it and confirms (on a terminal, or with --yes). */
async function forceRelease(ctx: CommandContext, key: string, settings: LockSettings, opts: LockReleaseOptions): Promise<ReleaseReport> {
  const dep = await ctx.openDeployment();
  try {
    const entry = await classified(dep, () => inspectLock(dep.client, key, settings));
    if (!entry) throw new GridctlError('NOT_FOUND', `no lock ${key}; nothing to release`, { hint: '`gridctl lock list` shows every lock' });
    if (!opts.dryRun) {
      const ttl = entry.ttlMs === null ? 'no TTL' : `${entry.ttlMs} ms left`;
      const question = `Remove ${key} held by ${describeHolder(entry)} (${ttl})? The holder will believe it still owns it.`;
      const ok = await ctx.ui.confirmDestructive(question, { what: 'force-release a lock', hint: 'check the holder with `gridctl lock inspect NAME` first, then re-run with --yes' });
      if (!ok) throw new GridctlError('CANCELLED', 'not released (declined)');
    }
    const report = await classified(dep, () =>
      forceReleaseLock(dep.client, entry, {
        auditLog: settings.auditLog,
        target: dep.spec.source,
        env: ctx.env,
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
      }),
    );
    return { ...report, force: true, coverage: await dep.coverage() };
  } finally {
    await dep.close();
  }
}
