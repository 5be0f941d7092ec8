import path from 'node:path';
import { GridctlError } from '../../core/errors.js';
import type { CommandContext } from '../context.js';
import type { Deployment } from '../../core/redis/deployment.js';
import type { ConnectionSpec } from '../../core/redis/spec.js';
import type { BackupFlags } from './options.js';

/**
 * The deployment behind `spec`, opened on first use and then kept: only discovery needs it
 * (Sentinel, Cluster, --from-replica); a standalone node read directly never opens it
 * (backup-sources.ts), so ioredis is not even loaded. close() closes it if it was opened.
 */
export function deploymentOnDemand(ctx: CommandContext, spec: ConnectionSpec): { open: () => Promise<Deployment>; close: () => Promise<void> } {
  let opening: Promise<Deployment> | undefined;
  return {
    open: () => (opening ??= ctx.openDeployment(spec)),
    close: async () => (await opening?.catch(() => undefined))?.close(),
  };
}

/** Flags win over gridctl.yaml `backup:`; relative paths in the file are relative to the file. */
export async function resolveBackupSettings(opts: BackupFlags, ctx: CommandContext) {
  const loaded = await ctx.loadConfig();
  const cfg = loaded.config.backup ?? {};
  const base = await ctx.configDir();
  const fromFile = (p: string | undefined) => (p === undefined ? undefined : path.resolve(base, p));
  const fromFlag = (p: string) => path.resolve(ctx.cwd, p);
  const s = {
    dir: opts.dir ? fromFlag(opts.dir) : (fromFile(cfg.dir) ?? fromFlag('backups')),
    mode: opts.mode ?? cfg.mode ?? 'logical',
    keep: opts.keep ?? cfg.keep,
    encryptKeyFile: opts.encryptKeyFile ? fromFlag(opts.encryptKeyFile) : fromFile(cfg.encryptKeyFile),
    fromReplica: opts.fromReplica ?? cfg.fromReplica ?? false,
    maxRate: opts.maxRate ?? cfg.maxRate,
    batchMs: opts.batchMs ?? cfg.batchMs,
    namespaces: loaded.config.namespaces,
  };
  if (s.mode === 'rdb' && s.encryptKeyFile) throw new GridctlError('USAGE', '--encrypt-key-file works with --mode logical only', { hint: 'encrypt RDB files with your storage layer, or use the logical mode' });
  if (s.mode === 'rdb' && opts.match) throw new GridctlError('USAGE', '--match works with --mode logical only');
  return s;
}

export type BackupSettings = Awaited<ReturnType<typeof resolveBackupSettings>>;
