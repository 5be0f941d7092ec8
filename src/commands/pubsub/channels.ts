import { defineCommand } from '../define-command.js';
import { pubsubChannelsOptions } from './options.js';
import { listChannels } from '../../core/pubsub/channels.js';
import type { ChannelsReport } from '../../core/pubsub/types.js';
import { renderChannels } from '../../ui/views/pubsub-view.js';

/** `gridctl pubsub channels`: channels and subscribers on every node; a critical channel below its minimum exits 1. */
export default defineCommand({
  options: pubsubChannelsOptions,
  async run(flags, ctx): Promise<ChannelsReport> {
    const { config } = await ctx.loadConfig();
    const dep = await ctx.openDeployment();
    try {
      return await listChannels(dep, config, flags.pattern ? { pattern: flags.pattern } : {});
    } finally {
      await dep.close();
    }
  },
  render: (report, out, flags) => renderChannels(report, out, flags.format),
  verdict: (report) => (report.critical.some((k) => k.status !== 'PASS') ? 1 : 0),
});
