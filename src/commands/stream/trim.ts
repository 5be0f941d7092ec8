import { defineCommand } from '../define-command.js';
import { confirmChange } from '../confirm-change.js';
import { streamTrimOptions } from './options.js';
import { applyTrim, planTrim, type TrimReport, type TrimStrategy } from '../../core/stream/trim.js';
import { renderTrim } from '../../ui/views/stream-repair-view.js';

/** `gridctl stream trim STREAM --maxlen N | --minid ID`: the count removed and each group's loss first, then XTRIM. */
export default defineCommand({
  options: streamTrimOptions,
  async run(flags, ctx): Promise<TrimReport> {
    const strategy: TrimStrategy = flags.maxlen !== undefined ? { maxLen: flags.maxlen } : { minId: flags.minid! };
    const dep = await ctx.openDeployment();
    try {
      const plan = await planTrim(dep, flags.stream, strategy);
      const dryRun = Boolean(flags.dryRun);
      if (dryRun || plan.toRemove === 0) return { ...plan, dryRun, removed: dryRun ? null : 0 };
      const unread = plan.groups.filter((g) => g.undeliveredRemoved !== 0).map((g) => `${g.group}: ${g.undeliveredRemoved ?? 'unknown'} unread`);
      await confirmChange(ctx, `Remove ${plan.toRemove} of ${plan.lengthBefore} entries from ${flags.stream}${unread.length ? ` (${unread.join(', ')})` : ''}?`, `trim ${flags.stream}`);
      return { ...plan, dryRun, removed: await applyTrim(dep, flags.stream, strategy) };
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderTrim(report, out),
});
