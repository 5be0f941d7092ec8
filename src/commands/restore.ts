import path from 'node:path';
import { Command, Option } from 'commander';
import type * as z from 'zod/mini';
import type { restoreOptionsSchema } from './restore-options.js';
import { parseOptions } from './parse-options.js';
import { contextFromCommand, type CommandContext } from './context.js';
import type { RestoreReport } from '../core/restore/restore.js';

export const RESTORE_ACL = 'on >PASSWORD resetkeys ~* resetchannels -@all +ping +info +dbsize +evalsha +eval +restore +exists +type +dump +time +client|setname +cluster|nodes +cluster|slots';

export type RestoreCommandOptions = z.infer<typeof restoreOptionsSchema>;

/** `gridctl restore FILE`: verify, check conflicts, confirm, restore, compare. */
export async function runRestoreCommand(file: string, opts: RestoreCommandOptions, ctx: CommandContext): Promise<RestoreReport> {
  const loaded = await ctx.loadConfig();
  const cfgKey = loaded.config.backup?.encryptKeyFile;
  const keyFile = opts.encryptKeyFile ? path.resolve(opts.encryptKeyFile) : cfgKey ? path.resolve(loaded.path ? path.dirname(loaded.path) : '.', cfgKey) : undefined;
  const dep = await ctx.openDeployment();
  try {
    const { runRestore } = await import('../core/restore/restore.js');
    return await runRestore(dep, {
      file: path.resolve(file),
      onConflict: opts.onConflict,
      dryRun: Boolean(opts.dryRun),
      ...(opts.match ? { match: opts.match } : {}),
      ...(keyFile ? { encryptKeyFile: keyFile } : {}),
      ...(opts.sample !== undefined ? { sampleSize: opts.sample } : {}),
      ...(opts.batchMs ? { targetBatchMs: opts.batchMs } : {}),
      confirmNonEmpty: async (keys) => {
        const { confirmDestructive } = await import('../ui/confirm.js');
        return confirmDestructive(ctx, `The target already holds ${keys} keys. Restore into it (--on-conflict ${opts.onConflict})?`, {
          what: `restore into a target that already holds ${keys} keys`,
          hint: 'check with --dry-run first, then re-run with --yes',
        });
      },
      onProgress: (p) => ctx.out.debug(`${p.phase}: ${p.keys}/${p.total}`),
    });
  } finally {
    await dep.close();
  }
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('restore a gridctl backup archive into standalone, Sentinel or Cluster (verified first; TTLs kept; routed by slot)')
    .argument('<file>', 'a .gbk archive written by `gridctl backup`, or an RDB backup: its .manifest.json (--mode rdb) or an .rdb file')
    .addOption(new Option('--on-conflict <mode>', 'fail: refuse if any key exists (checked before writing, listed) · skip: keep existing keys · replace: overwrite them').choices(['fail', 'skip', 'replace']).default('fail'))
    .option('--dry-run', 'verify, check versions and conflicts, count what would be restored; write nothing')
    .option('--match <pattern>', 'restore only keys matching this glob')
    .option('--encrypt-key-file <path>', 'key file for an encrypted archive (gridctl.yaml backup.encryptKeyFile)')
    .option('--sample <n>', 'keys re-DUMPed and compared after the restore (default 200)')
    .option('--batch-ms <ms>', 'target duration of one server-side batch (default 5)')
    .addHelpText(
      'after',
      `
The archive is verified end to end first (a corrupt file stops the restore with exit 6 before any
write). Keys already expired are skipped; TTLs are restored as absolute times (RESTORE ... ABSTTL).
A payload from a newer Redis than the target is refused with both versions named. When the target
is not empty: a prompt on a terminal, --yes otherwise. Afterwards, counts per type are compared
(every restored key is TYPE-checked) and a sample of keys is re-DUMPed and compared.

An RDB backup (the manifest of --mode rdb, or an .rdb file) is checked (SHA-256 against the
manifest, redis-check-rdb), loaded into a throwaway local redis-server (loopback, random password,
no persistence) and restored like an archive; needs redis-server on PATH.

Exit codes: 0 restored and checked · 1 conflicts under --on-conflict fail (nothing written), or a
  key failed / a check mismatched · 2 declined or interrupted · 3 usage, --yes missing, target too
  old for the payloads · 4 auth/ACL or wrong key · 5 unreachable · 6 the backup is corrupt

ACL (restore user; narrow ~* to the namespaces you restore):
  ACL SETUSER restore ${RESTORE_ACL}

Examples:
  $ gridctl restore backups/gridctl-backup-20261127T101500123Z.gbk --dry-run
  $ gridctl restore backups/gridctl-backup-20261127T101500123Z.gbk --target staging --yes
  $ gridctl restore backup.gbk --match 'orderbook:*' --on-conflict replace --yes --json
  $ gridctl restore rdb/gridctl-backup-20261127T101500123Z.manifest.json --target staging --yes`,
    )
    .action(async (file: string, _o: unknown, c: Command) => {
      const ctx = contextFromCommand(c);
      // The schema lives in restore-options.ts so `gridctl --help` does not load zod.
      const { restoreOptionsSchema } = await import('./restore-options.js');
      const report = await runRestoreCommand(file, parseOptions(restoreOptionsSchema, c.opts(), 'restore'), ctx);
      const { renderRestore } = await import('../ui/views/restore-view.js');
      renderRestore(report, ctx.out);
      process.exitCode = report.ok ? 0 : 1;
    });
}
