import { defineCommand } from '../define-command.js';
import { pubsubBuffersOptions } from './options.js';
import { checkSubscriberBuffers } from '../../core/pubsub/buffers.js';
import type { BuffersReport } from '../../core/pubsub/types.js';
import { renderBuffers } from '../../ui/views/pubsub-view.js';

/** `gridctl pubsub buffers`: subscribers close to their output-buffer limit exit 1. */
export default defineCommand({
  options: pubsubBuffersOptions,
  async run(flags, ctx): Promise<BuffersReport> {
    const { config } = await ctx.loadConfig();
    const warnPercent = flags.warnPercent ?? config.pubsub?.bufferWarnPercent;
    const dep = await ctx.openDeployment();
    try {
      return await checkSubscriberBuffers(dep, warnPercent !== undefined ? { warnPercent } : {});
    } finally {
      await dep.close();
    }
  },
  render: (report, out, flags) => renderBuffers(report, out, flags.format),
  verdict: (report) => (report.flagged > 0 ? 1 : 0),
});
