import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { runHealthChecks } from '../../core/health/run.js';
import type { HealthReport } from '../../core/health/types.js';
import { renderHealthPrometheus, renderHealthTable } from '../../ui/views/health-view.js';

export const healthOptions = z.strictObject({
  format: z.optional(z.enum(['table', 'json', 'prometheus'])),
  strict: z._default(z.boolean(), false),
  samples: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000))),
  backupDir: z.optional(z.string().check(z.minLength(1))),
});

export type HealthOptions = z.infer<typeof healthOptions>;

/** `gridctl health`: every node checked against the SLOs; FAIL (or WARN with --strict) exits 1. */
export default defineCommand({
  options: healthOptions,
  async run(opts: HealthOptions, ctx): Promise<HealthReport> {
    const loaded = await ctx.loadConfig();
    // --backup-dir, else gridctl.yaml backup.dir (relative to the file); neither: the check is SKIP.
    const configured = loaded.config.backup?.dir;
    const backupDir = opts.backupDir ? path.resolve(ctx.cwd, opts.backupDir) : configured ? path.resolve(await ctx.configDir(), configured) : undefined;
    const dep = await ctx.openDeployment();
    try {
      return await runHealthChecks(dep, loaded.config, { ...(opts.samples ? { samples: opts.samples } : {}), ...(backupDir ? { backupDir, backupDirFromConfig: !opts.backupDir } : {}) });
    } finally {
      await dep.close();
    }
  },
  render(report, out, opts) {
    out.print(opts.format === 'prometheus' ? renderHealthPrometheus(report) : renderHealthTable(report, out.stdoutIsTTY));
  },
  verdict(report, opts) {
    return report.summary.fail > 0 || (opts.strict && report.summary.warn > 0) ? 1 : 0;
  },
});
