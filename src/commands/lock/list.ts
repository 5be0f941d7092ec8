import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { durationFlag, lockSettings } from './shared.js';
import { listLocks, type LockListReport } from '../../core/lock/list.js';
import { renderLockList } from '../../ui/views/lock-view.js';

const lockListOptions = z.strictObject({
  pattern: z.optional(z.array(z.string().check(z.minLength(1)))),
  expiringBelow: z.optional(z.string().check(z.minLength(1))),
});

type LockListOptions = z.infer<typeof lockListOptions>;

/** `gridctl lock list`: every lock on every master; a lock without TTL (stuck) exits 1. */
export default defineCommand({
  options: lockListOptions,
  async run(opts: LockListOptions, ctx): Promise<LockListReport> {
    const expiringBelowMs = opts.expiringBelow === undefined ? undefined : durationFlag(opts.expiringBelow, '--expiring-below', 0);
    const settings = await lockSettings(ctx);
    if (opts.pattern?.length) settings.patterns = opts.pattern;
    if (expiringBelowMs !== undefined) settings.expiringBelowMs = expiringBelowMs;
    const dep = await ctx.openDeployment();
    try {
      return await listLocks(dep, settings);
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderLockList(report, out),
  verdict: (report) => (report.summary.stuck > 0 ? 1 : 0),
});
