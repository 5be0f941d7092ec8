import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { DEFAULT_NAMESPACES } from '../../core/config/defaults.js';
import { writeFileAtomic } from '../../core/fs/atomic-write.js';
import { givenBackup, newestVerifiedBackup } from '../../core/drill/backup-pick.js';
import { runRestoreDrill, type RestoreDrillReport } from '../../core/drill/restore-drill.js';
import { renderRestoreDrill, renderRestoreDrillPrometheus } from '../../ui/views/drill-view.js';

export const drillRestoreOptions = z.strictObject({
  file: z.optional(z.string().check(z.minLength(1))),
  dir: z.optional(z.string().check(z.minLength(1))),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
  sample: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100_000)), 100),
  redisServer: z.optional(z.string().check(z.minLength(1))),
  redisSentinel: z.optional(z.string().check(z.minLength(1))),
  source: z._default(z.boolean(), true),
  format: z.optional(z.enum(['table', 'json', 'prometheus'])),
  textfile: z.optional(z.string().check(z.minLength(1))),
});

export type DrillRestoreFlags = z.infer<typeof drillRestoreOptions>;

/** FILE, else the newest verified backup in --dir (gridctl.yaml backup.dir, else ./backups). */
async function pickBackup(flags: DrillRestoreFlags, ctx: CommandContext) {
  if (flags.file) return givenBackup(path.resolve(ctx.cwd, flags.file));
  const configured = (await ctx.loadConfig()).config.backup?.dir;
  const dir = flags.dir ? path.resolve(ctx.cwd, flags.dir) : configured ? path.resolve(await ctx.configDir(), configured) : path.resolve(ctx.cwd, 'backups');
  return newestVerifiedBackup(dir);
}

async function drill(flags: DrillRestoreFlags, ctx: CommandContext): Promise<RestoreDrillReport> {
  const { config } = await ctx.loadConfig();
  const configuredKey = config.backup?.encryptKeyFile;
  const keyFile = flags.encryptKeyFile ? path.resolve(ctx.cwd, flags.encryptKeyFile) : configuredKey ? path.resolve(await ctx.configDir(), configuredKey) : undefined;
  return runRestoreDrill({
    backup: await pickBackup(flags, ctx),
    namespaces: config.namespaces ?? DEFAULT_NAMESPACES,
    sampleSize: flags.sample,
    timeoutMs: ctx.timeoutMs,
    ...(keyFile ? { encryptKeyFile: keyFile } : {}),
    ...(flags.redisServer ? { redisServer: path.resolve(ctx.cwd, flags.redisServer) } : {}),
    ...(flags.redisSentinel ? { redisSentinel: path.resolve(ctx.cwd, flags.redisSentinel) } : {}),
    ...(flags.source ? { openSource: () => ctx.openDeployment() } : {}),
    onProgress: (m) => ctx.out.debug(`drill: ${m}`),
  });
}

/** `gridctl drill restore [FILE]`: a backup restored into a throwaway deployment and checked; any mismatch exits 1. */
export default defineCommand({
  options: drillRestoreOptions,
  async run(flags, ctx): Promise<RestoreDrillReport> {
    const textfile = flags.textfile ? path.resolve(ctx.cwd, flags.textfile) : undefined;
    let report: RestoreDrillReport | undefined;
    try {
      report = await drill(flags, ctx);
      return report;
    } finally {
      // Also when the drill could not run (no backup, a corrupt one): cron's alert needs the 0.
      if (textfile) await writeFileAtomic(textfile, renderRestoreDrillPrometheus(report, new Date()), { mode: 0o644 });
    }
  },
  render(report, out, flags) {
    if (flags.format === 'prometheus') out.print(renderRestoreDrillPrometheus(report, new Date()).trimEnd());
    else renderRestoreDrill(report, out);
  },
  verdict: (report) => (report.ok ? 0 : 1),
});
