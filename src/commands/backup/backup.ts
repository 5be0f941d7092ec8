import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { backupOptions, type BackupFlags } from './options.js';
import { deploymentOnDemand, resolveBackupSettings, type BackupSettings } from './settings.js';
import { onCancel } from '../../core/cancel.js';
import { DEFAULT_NAMESPACES } from '../../core/config/defaults.js';
import { planBackup, type BackupPlan } from '../../core/backup/backup-plan.js';
import { runBackupOfMode, type BackupOfMode } from '../../core/backup/run-backup.js';
import type { BackupReport } from '../../core/backup/backup.js';
import { createBackupProgress, type BackupProgress } from '../../ui/views/backup-progress.js';
import { renderBackup, renderBackupPlan } from '../../ui/views/backup-view.js';

/** The mode's options, from the settings and this run's progress bar. */
function backupOfMode(s: BackupSettings, flags: BackupFlags, progress: BackupProgress): BackupOfMode {
  if (s.mode === 'rdb') return { mode: 'rdb', options: { dir: s.dir, keep: s.keep, fromReplica: s.fromReplica, onTransfer: progress.transfer } };
  return {
    mode: 'logical',
    options: {
      dir: s.dir,
      mode: 'logical',
      ...(s.keep ? { keep: s.keep } : {}),
      ...(s.encryptKeyFile ? { encryptKeyFile: s.encryptKeyFile } : {}),
      fromReplica: s.fromReplica,
      ...(flags.match ? { match: flags.match } : {}),
      ...(s.maxRate ? { maxRate: s.maxRate } : {}),
      ...(s.batchMs ? { targetBatchMs: s.batchMs } : {}),
      namespaces: s.namespaces ?? DEFAULT_NAMESPACES,
      onProgress: progress.update,
    },
  };
}

/** One verified backup of the whole deployment, with a progress bar on a terminal. */
async function runBackup(flags: BackupFlags, ctx: CommandContext): Promise<BackupReport> {
  const s = await resolveBackupSettings(flags, ctx);
  const spec = await ctx.connectionSpec();
  const deployment = deploymentOnDemand(ctx, spec);
  const progress = await createBackupProgress(ctx.out);
  // Registered before core's own clean-up, so it runs after it (handlers run newest first).
  const removeNotice = onCancel(() => {
    progress.stop();
    ctx.out.warn(`gridctl: backup interrupted: the temporary file was removed; no backup was written under ${s.dir}`);
  });
  try {
    return await runBackupOfMode(spec, deployment.open, backupOfMode(s, flags, progress));
  } finally {
    removeNotice();
    progress.stop();
    await deployment.close();
  }
}

/** --dry-run: the sources and key counts a backup would read; nothing is written. */
async function runBackupPlan(flags: BackupFlags, ctx: CommandContext): Promise<BackupPlan> {
  const s = await resolveBackupSettings(flags, ctx);
  const spec = await ctx.connectionSpec();
  const deployment = deploymentOnDemand(ctx, spec);
  try {
    return await planBackup(spec, deployment.open, { dir: s.dir, mode: s.mode, fromReplica: s.fromReplica });
  } finally {
    await deployment.close();
  }
}

const isPlan = (r: BackupReport | BackupPlan): r is BackupPlan => 'sources' in r;

/** `gridctl backup`: a verified backup (or, with --dry-run, its plan); a failed one exits 1. */
export default defineCommand({
  options: backupOptions,
  run: (flags, ctx): Promise<BackupReport | BackupPlan> => (flags.dryRun ? runBackupPlan(flags, ctx) : runBackup(flags, ctx)),
  render: (report, out) => (isPlan(report) ? renderBackupPlan(report, out) : renderBackup(report, out)),
  verdict: (report) => (isPlan(report) || report.ok ? 0 : 1),
});
