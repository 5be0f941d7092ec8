import { defineCommand } from '../define-command.js';
import { pubsubWatchOptions } from './options.js';
import { watchChannels } from '../../core/pubsub/watch.js';
import { formatDuration } from '../../core/duration.js';
import type { WatchReport } from '../../core/pubsub/types.js';
import { renderWatch } from '../../ui/views/pubsub-view.js';

/** `gridctl pubsub watch PATTERN`: message counts per channel over --duration. */
export default defineCommand({
  options: pubsubWatchOptions,
  async run(flags, ctx): Promise<WatchReport> {
    const dep = await ctx.openDeployment();
    try {
      ctx.out.info(`listening on ${flags.pattern} for ${formatDuration(flags.duration)}...`);
      return await watchChannels(dep, { pattern: flags.pattern, durationMs: flags.duration, showPayloads: Boolean(flags.showPayloads) });
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderWatch(report, out),
});
