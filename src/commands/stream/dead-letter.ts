import { defineCommand } from '../define-command.js';
import { confirmChange } from '../confirm-change.js';
import { streamDeadLetterOptions } from './options.js';
import { applyDeadLetter, defaultDeadLetterStream, planDeadLetter, type DeadLetterReport, type DeadLetterRequest } from '../../core/stream/dead-letter.js';
import { groupThresholds, streamSetting } from '../../core/stream/settings.js';
import { renderDeadLetter } from '../../ui/views/stream-repair-view.js';

/** `gridctl stream dead-letter STREAM GROUP`: poison entries listed, confirmed, then moved one script each. */
export default defineCommand({
  options: streamDeadLetterOptions,
  async run(flags, ctx): Promise<DeadLetterReport> {
    const { config } = await ctx.loadConfig();
    const req: DeadLetterRequest = {
      stream: flags.stream,
      group: flags.group,
      to: flags.to ?? streamSetting(config, flags.stream, 'deadLetter') ?? defaultDeadLetterStream(flags.stream),
      minDeliveries: flags.minDeliveries ?? groupThresholds(config, flags.stream, flags.group).poisonDeliveries,
      limit: flags.limit,
      ...(flags.minIdle !== undefined ? { minIdleMs: flags.minIdle } : {}),
      ...(flags.consumer ? { consumer: flags.consumer } : {}),
    };
    const dep = await ctx.openDeployment();
    try {
      const plan = await planDeadLetter(dep, req);
      const dryRun = Boolean(flags.dryRun);
      if (dryRun || plan.candidates.length === 0) return { ...plan, dryRun, moved: [], skipped: [] };
      await confirmChange(ctx, `Move ${plan.candidates.length} poison entries (>= ${req.minDeliveries} deliveries) of ${req.group} on ${req.stream} to ${req.to} and acknowledge them?`, `dead-letter entries of ${req.stream}`);
      return { ...plan, dryRun, ...(await applyDeadLetter(dep, req, plan.candidates)) };
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderDeadLetter(report, out),
});
