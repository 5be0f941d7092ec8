import { Command, Option } from 'commander';

export const RESTORE_ACL = 'on >PASSWORD resetkeys ~* resetchannels -@all +ping +info +dbsize +evalsha +eval +restore +exists +type +dump +time +client|setname +cluster|nodes +cluster|slots';

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
    );
}
