import path from 'node:path';
import { Command, Option } from 'commander';
import type * as z from 'zod/mini';
import type { backupOptionsSchema } from './backup-options.js';
import { parseOptions } from './parse-options.js';

/** Option schemas live in backup-options.ts so `gridctl --help` does not load zod. */
const schemas = () => import('./backup-options.js');
import { contextFromCommand, type CommandContext } from './context.js';
import { GridctlError } from '../core/errors.js';
import type { BackupReport } from '../core/backup/backup.js';
import type { Deployment } from '../core/redis/deployment.js';
import type { ConnectionSpec } from '../core/redis/spec.js';
import type { ArchiveVerifyReport } from '../core/backup/verify.js';

export const BACKUP_ACL = 'on >PASSWORD resetkeys %R~* resetchannels -@all +ping +info +dbsize +scan +dump +pexpiretime +pttl +select +client|setname +cluster|nodes +cluster|slots +cluster|shards +readonly';
export const BACKUP_RDB_ACL = 'on >PASSWORD resetkeys resetchannels -@all +ping +info +dbsize +cluster|nodes +cluster|slots +client|setname +replconf +sync';

export type BackupCommandOptions = z.infer<typeof backupOptionsSchema>;

/**
 * The deployment behind `spec`, opened on first use and then kept: only discovery needs it
 * (Sentinel, Cluster, --from-replica); a standalone node read directly never opens it
 * (backup-sources.ts), so ioredis is not even loaded. close() closes it if it was opened.
 */
function deploymentOnDemand(ctx: CommandContext, spec: ConnectionSpec): { open: () => Promise<Deployment>; close: () => Promise<void> } {
  let opening: Promise<Deployment> | undefined;
  return {
    open: () => (opening ??= ctx.openDeployment(spec)),
    close: async () => (await opening?.catch(() => undefined))?.close(),
  };
}

/** Flags win over gridctl.yaml `backup:`; relative paths in the file are relative to the file. */
async function resolveBackupSettings(opts: BackupCommandOptions, ctx: CommandContext) {
  const loaded = await ctx.loadConfig();
  const cfg = loaded.config.backup ?? {};
  const base = loaded.path ? path.dirname(loaded.path) : process.cwd();
  const fromFile = (p: string | undefined) => (p === undefined ? undefined : path.resolve(base, p));
  const s = {
    dir: opts.dir ? path.resolve(opts.dir) : (fromFile(cfg.dir) ?? path.resolve('backups')),
    mode: opts.mode ?? cfg.mode ?? 'logical',
    keep: opts.keep ?? cfg.keep,
    encryptKeyFile: opts.encryptKeyFile ? path.resolve(opts.encryptKeyFile) : fromFile(cfg.encryptKeyFile),
    fromReplica: opts.fromReplica ?? cfg.fromReplica ?? false,
    maxRate: opts.maxRate ?? cfg.maxRate,
    batchMs: opts.batchMs ?? cfg.batchMs,
    namespaces: loaded.config.namespaces,
  };
  if (s.mode === 'rdb' && s.encryptKeyFile) throw new GridctlError('USAGE', '--encrypt-key-file works with --mode logical only', { hint: 'encrypt RDB files with your storage layer, or use the logical mode' });
  if (s.mode === 'rdb' && opts.match) throw new GridctlError('USAGE', '--match works with --mode logical only');
  return s;
}

/** `gridctl backup`: one verified backup of the whole deployment. */
export async function runBackup(opts: BackupCommandOptions, ctx: CommandContext): Promise<BackupReport> {
  const s = await resolveBackupSettings(opts, ctx);
  const { DEFAULT_NAMESPACES } = await import('../core/config/defaults.js');
  const spec = await ctx.connectionSpec();
  const deployment = deploymentOnDemand(ctx, spec);
  const { createBackupProgress } = await import('../ui/views/backup-progress.js');
  const progress = await createBackupProgress(ctx.out);
  // Registered before core's own clean-up, so it runs after it (handlers run newest first).
  const { onCancel } = await import('../core/cancel.js');
  const removeNotice = onCancel(() => {
    progress.stop();
    ctx.out.warn(`gridctl: backup interrupted: the temporary file was removed; no backup was written under ${s.dir}`);
  });
  try {
    if (s.mode === 'rdb') {
      const { runRdbBackup } = await import('../core/backup/rdb-backup.js');
      return await runRdbBackup(spec, deployment.open, { dir: s.dir, keep: s.keep, fromReplica: s.fromReplica, onTransfer: progress.transfer });
    }
    const { runLogicalBackup } = await import('../core/backup/backup.js');
    return await runLogicalBackup(spec, deployment.open, {
      dir: s.dir,
      mode: 'logical',
      ...(s.keep ? { keep: s.keep } : {}),
      ...(s.encryptKeyFile ? { encryptKeyFile: s.encryptKeyFile } : {}),
      fromReplica: s.fromReplica,
      ...(opts.match ? { match: opts.match } : {}),
      ...(s.maxRate ? { maxRate: s.maxRate } : {}),
      ...(s.batchMs ? { targetBatchMs: s.batchMs } : {}),
      namespaces: s.namespaces ?? DEFAULT_NAMESPACES,
      onProgress: progress.update,
    });
  } finally {
    removeNotice();
    progress.stop();
    await deployment.close();
  }
}

/** `gridctl backup verify FILE`: check an archive (or an RDB backup's manifest) without a server. */
export async function runBackupVerify(file: string, opts: { encryptKeyFile?: string }, ctx: CommandContext): Promise<ArchiveVerifyReport | import('../core/backup/rdb-backup.js').RdbVerifyReport> {
  void ctx;
  const abs = path.resolve(file);
  if (abs.endsWith('.manifest.json')) {
    const { readManifest } = await import('../core/backup/manifest.js');
    const m = await readManifest(abs);
    if (m?.mode === 'rdb') {
      const { verifyRdbBackup } = await import('../core/backup/rdb-backup.js');
      return verifyRdbBackup(abs);
    }
    if (m) return runBackupVerify(path.join(path.dirname(abs), m.files[0]!.name), opts, ctx);
    throw new GridctlError('INTEGRITY', `${file} is not a gridctl backup manifest`);
  }
  const { verifyArchiveWithManifest } = await import('../core/backup/verify-with-manifest.js');
  const { readKeyFile } = await import('../core/backup/archive-crypto.js');
  const keyMaterial = opts.encryptKeyFile ? await readKeyFile(path.resolve(opts.encryptKeyFile)) : undefined;
  return verifyArchiveWithManifest(abs, keyMaterial);
}

export function backupCommand(): Command {
  const cmd = new Command('backup')
    .description('back up every key of a standalone, Sentinel or Cluster deployment into one verified, compressed (optionally encrypted) archive; cron-safe')
    .option('--dir <dir>', 'directory for the timestamped backups (gridctl.yaml backup.dir; default ./backups)')
    .addOption(new Option('--mode <mode>', 'logical: DUMP archive (default) · rdb: each master\'s RDB over the replication protocol').choices(['logical', 'rdb']))
    .option('--keep <n>', 'keep the N newest backups in --dir; older ones are deleted only after the new one is verified')
    .option('--encrypt-key-file <path>', 'encrypt at rest with AES-256-GCM using the key in this file (>= 32 bytes; never printed)')
    .option('--from-replica', 'read from a healthy replica of each master (Sentinel, Cluster, standalone with replicas)')
    .option('--match <pattern>', 'back up only keys matching this glob (SCAN MATCH)')
    .option('--max-rate <keys/s>', 'at most this many keys per second (all masters together)')
    .option('--batch-ms <ms>', 'about how much Redis time one SCAN page of pipelined commands takes; pages adapt to it (default 1.5)')
    .option('--dry-run', 'show what would be backed up (sources and key counts); write nothing')
    .addHelpText(
      'after',
      `
Writes <dir>/gridctl-backup-<UTC timestamp>.gbk and a .manifest.json beside it (counts per type,
namespace and master; bytes; SHA-256). The archive is written under a temporary name, fsynced and
renamed: Ctrl-C, SIGTERM or a full disk never leave a partial file under the final name. It is read
back and verified before --keep deletes anything. A lock file (<dir>/.gridctl-backup.lock, O_EXCL,
stale-pid aware) stops two backups into the same directory from overlapping.

Silent on success (cron-friendly) unless --verbose, a terminal, or --json. Progress bar only on a TTY.

With a standalone or Sentinel deployment on this host, the backup (and redis-check-rdb) keeps off one
CPU so Redis always has one; run gridctl under your own taskset to choose its CPUs (docs/backup.md).

Exit codes: 0 backup written and verified · 1 failed (e.g. another backup holds the lock, disk full)
  · 2 interrupted (no partial file left) · 3 usage/config · 4 auth/ACL · 5 unreachable · 6 verification failed

ACL (logical mode, read-only; the key pattern may be narrowed):
  ACL SETUSER backup ${BACKUP_ACL}
ACL (--mode rdb):
  ACL SETUSER backup ${BACKUP_RDB_ACL}

Examples:
  $ gridctl backup --dir /var/backups/redis --keep 48          from cron, silent on success
  $ gridctl backup --target prod --from-replica --encrypt-key-file /etc/gridctl/backup.key --json
  $ gridctl backup --mode rdb --dir /var/backups/redis-rdb
  $ gridctl backup verify /var/backups/redis/gridctl-backup-20261127T101500123Z.gbk`,
    )
    .action(async (_o: unknown, c: Command) => {
      const ctx = contextFromCommand(c);
      const opts = parseOptions((await schemas()).backupOptionsSchema, c.opts(), 'backup');
      if (opts.dryRun) {
        const { renderBackupPlan } = await import('../ui/views/backup-view.js');
        const s = await resolveBackupSettings(opts, ctx);
        const { planBackup } = await import('../core/backup/backup-plan.js');
        const spec = await ctx.connectionSpec();
        const deployment = deploymentOnDemand(ctx, spec);
        try {
          renderBackupPlan(await planBackup(spec, deployment.open, { dir: s.dir, mode: s.mode, fromReplica: s.fromReplica }), ctx.out);
        } finally {
          await deployment.close();
        }
        return;
      }
      const report = await runBackup(opts, ctx);
      const { renderBackup } = await import('../ui/views/backup-view.js');
      renderBackup(report, ctx.out);
      process.exitCode = report.ok ? 0 : 1;
    });

  cmd.addCommand(
    new Command('verify')
      .description('check a backup without a server: structure, every frame, record counts, SHA-256 (and decryption)')
      .argument('<file>', 'a .gbk archive, or a .manifest.json (RDB-mode backups are checked with redis-check-rdb when present)')
      .option('--encrypt-key-file <path>', 'key file for an encrypted archive')
      .addHelpText(
        'after',
        `
Exit codes: 0 intact · 3 usage (missing file, encrypted without a key) · 4 wrong key · 6 corrupt (the message names the byte offset, frame and records)
ACL: none (no server is contacted).

Examples:
  $ gridctl backup verify backups/gridctl-backup-20261127T101500123Z.gbk
  $ gridctl backup verify backups/gridctl-backup-20261127T101500123Z.gbk --encrypt-key-file backup.key --json`,
      )
      .action(async (file: string, _o: unknown, c: Command) => {
        const ctx = contextFromCommand(c);
        // The parent `backup` command defines --encrypt-key-file too and commander hands it to the parent.
        const g = c.optsWithGlobals() as { encryptKeyFile?: string };
        const opts = parseOptions((await schemas()).verifyOptionsSchema, g.encryptKeyFile ? { encryptKeyFile: g.encryptKeyFile } : {}, 'backup verify');
        const report = await runBackupVerify(file, opts, ctx);
        const { renderVerify } = await import('../ui/views/backup-view.js');
        renderVerify(report, ctx.out);
      }),
  );
  return cmd;
}
