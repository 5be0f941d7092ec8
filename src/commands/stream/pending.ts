import { defineCommand } from '../define-command.js';
import { streamPendingOptions } from './options.js';
import { listPending, type PendingReport } from '../../core/stream/pending.js';
import { renderPending } from '../../ui/views/stream-view.js';

/** `gridctl stream pending STREAM GROUP`: the group's pending entries, filtered. */
export default defineCommand({
  options: streamPendingOptions,
  async run(flags, ctx): Promise<PendingReport> {
    const dep = await ctx.openDeployment();
    try {
      const filter = {
        ...(flags.consumer ? { consumer: flags.consumer } : {}),
        ...(flags.minIdle !== undefined ? { minIdleMs: flags.minIdle } : {}),
        ...(flags.minDeliveries !== undefined ? { minDeliveries: flags.minDeliveries } : {}),
      };
      return await listPending(dep, flags.stream, flags.group, filter, flags.limit);
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderPending(report, out),
});
