import path from 'node:path';
import { defineCommand } from '../define-command.js';
import { restoreOptions, type RestoreFlags } from './options.js';
import type { CommandContext } from '../context.js';
import { runRestore, type RestoreReport } from '../../core/restore/restore.js';
import { renderRestore } from '../../ui/views/restore-view.js';

/** --encrypt-key-file, else gridctl.yaml backup.encryptKeyFile (relative to the file). */
async function keyFileFor(flags: RestoreFlags, ctx: CommandContext): Promise<string | undefined> {
  if (flags.encryptKeyFile) return path.resolve(ctx.cwd, flags.encryptKeyFile);
  const configured = (await ctx.loadConfig()).config.backup?.encryptKeyFile;
  return configured ? path.resolve(await ctx.configDir(), configured) : undefined;
}

/** `gridctl restore FILE`: verify, check conflicts, confirm, restore, compare; a failed key or check exits 1. */
export default defineCommand({
  options: restoreOptions,
  async run(flags, ctx): Promise<RestoreReport> {
    const keyFile = await keyFileFor(flags, ctx);
    const dep = await ctx.openDeployment();
    try {
      return await runRestore(dep, {
        file: path.resolve(ctx.cwd, flags.file),
        onConflict: flags.onConflict,
        dryRun: Boolean(flags.dryRun),
        ...(flags.match ? { match: flags.match } : {}),
        ...(keyFile ? { encryptKeyFile: keyFile } : {}),
        ...(flags.sample !== undefined ? { sampleSize: flags.sample } : {}),
        ...(flags.batchMs ? { targetBatchMs: flags.batchMs } : {}),
        confirmNonEmpty: (keys) =>
          ctx.ui.confirmDestructive(`The target already holds ${keys} keys. Restore into it (--on-conflict ${flags.onConflict})?`, {
            what: `restore into a target that already holds ${keys} keys`,
            hint: 'check with --dry-run first, then re-run with --yes',
          }),
        onProgress: (p) => ctx.out.debug(`${p.phase}: ${p.keys}/${p.total}`),
      });
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderRestore(report, out),
  verdict: (report) => (report.ok ? 0 : 1),
});
