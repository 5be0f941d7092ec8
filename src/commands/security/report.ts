import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { securityReport } from '../../core/security/report.js';
import type { SecurityReport } from '../../core/security/types.js';
import { renderSecurityPrometheus, renderSecurityReport } from '../../ui/views/security-report-view.js';

export const securityReportOptions = z.strictObject({
  format: z.optional(z.enum(['table', 'json', 'prometheus'])),
  since: z.optional(z.string().check(z.minLength(1))),
});

/** `gridctl security report`: read-only; findings at warning or above exit 1. */
export default defineCommand({
  options: securityReportOptions,
  async run(opts, ctx): Promise<SecurityReport> {
    const dep = await ctx.openDeployment();
    try {
      return await securityReport(dep, opts.since ? { sinceFile: path.resolve(ctx.cwd, opts.since) } : {});
    } finally {
      await dep.close();
    }
  },
  render(report, out, opts) {
    if (opts.format === 'prometheus') out.print(renderSecurityPrometheus(report));
    else renderSecurityReport(report, out);
  },
  verdict: (report) => (report.findings.some((f) => f.severity !== 'info') ? 1 : 0),
});
