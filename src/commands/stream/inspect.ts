import { defineCommand } from '../define-command.js';
import { streamInspectOptions } from './options.js';
import { inspectStream } from '../../core/stream/inspect.js';
import type { StreamInspectReport } from '../../core/stream/types.js';
import { renderStreamInspect } from '../../ui/views/stream-view.js';

/** `gridctl stream inspect STREAM`: groups and consumers against their thresholds; critical findings exit 1. */
export default defineCommand({
  options: streamInspectOptions,
  async run(flags, ctx): Promise<StreamInspectReport> {
    const { config } = await ctx.loadConfig();
    const dep = await ctx.openDeployment();
    try {
      return await inspectStream(dep, flags.stream, config);
    } finally {
      await dep.close();
    }
  },
  render: (report, out, flags) => renderStreamInspect(report, out, flags.format),
  verdict: (report, flags) => (report.findings.some((f) => f.severity === 'critical' || flags.strict) ? 1 : 0),
});
