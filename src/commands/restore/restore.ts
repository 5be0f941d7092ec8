import path from 'node:path';
import { defineCommand } from '../define-command.js';
import { restoreOptions, type RestoreFlags } from './options.js';
import type { CommandContext } from '../context.js';
import { onCancel } from '../../core/cancel.js';
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
    // Interrupted: how many keys this run wrote, and how to finish (core's clean-up runs first and
    // lets the batches in flight report back, so the count is what the target holds from this run).
    let written = 0;
    const removeNotice = onCancel(() =>
      ctx.out.warn(
        written > 0
          ? `gridctl: restore interrupted: ${written} key(s) were written to the target; run the same restore again with --on-conflict replace --yes to complete it`
          : 'gridctl: restore interrupted before any key was written',
      ),
    );
    try {
      return await runRestore(dep, {
        file: path.resolve(ctx.cwd, flags.file),
        onConflict: flags.onConflict,
        dryRun: Boolean(flags.dryRun),
        ...(flags.match ? { match: flags.match } : {}),
        ...(keyFile ? { encryptKeyFile: keyFile } : {}),
        ...(flags.sample !== undefined ? { sampleSize: flags.sample } : {}),
        ...(flags.batchMs ? { targetBatchMs: flags.batchMs } : {}),
        skipOtherDbs: Boolean(flags.skipOtherDbs),
        checkRdb: flags.checkRdb !== false,
        confirmNonEmpty: (keys) =>
          ctx.ui.confirmDestructive(`The target already holds ${keys} keys. Restore into it (--on-conflict ${flags.onConflict})?`, {
            what: `restore into a target that already holds ${keys} keys`,
            hint: 'check with --dry-run first, then re-run with --yes',
          }),
        onProgress: (p) => {
          written = p.restored;
          ctx.out.debug(`${p.phase}: ${p.keys}/${p.total}`);
        },
      });
    } finally {
      removeNotice();
      await dep.close();
    }
  },
  render: (report, out) => renderRestore(report, out),
  verdict: (report) => (report.ok ? 0 : 1),
});
