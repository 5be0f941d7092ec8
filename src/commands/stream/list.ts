import { defineCommand } from '../define-command.js';
import { streamListOptions } from './options.js';
import { listStreams } from '../../core/stream/list.js';
import type { StreamListReport } from '../../core/stream/types.js';
import { renderStreamList } from '../../ui/views/stream-view.js';

/** `gridctl stream list`: every stream on every master. */
export default defineCommand({
  options: streamListOptions,
  async run(flags, ctx): Promise<StreamListReport> {
    const { config } = await ctx.loadConfig();
    const dep = await ctx.openDeployment();
    try {
      return await listStreams(dep, config, flags.match ? { match: flags.match } : {});
    } finally {
      await dep.close();
    }
  },
  render: (report, out, flags) => renderStreamList(report, out, flags.format),
});
