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
    .option('--skip-other-dbs', 'an RDB backup with keys in databases other than 0: restore database 0 and count the rest (otherwise exit 1)')
    .option('--no-check-rdb', 'RDB backups: rely on their CRC-64 and on the throwaway redis-server loading them, not on redis-check-rdb')
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

Before anything is written the backup goes through the same verification as \`backup verify\`:
the manifest (size, SHA-256; files only from its own folder), every frame and every DUMP payload's
own CRC-64. An RDB backup (the manifest of --mode rdb, or an .rdb file) must end with its CRC-64
and pass redis-check-rdb (--no-check-rdb: skipped), is loaded into a throwaway local redis-server
(loopback, random password, no persistence) and restored like an archive; needs redis-server on
PATH. gridctl restores database 0: keys in other databases fail the run (exit 1) unless
--skip-other-dbs; the report counts them either way.

Interrupted (Ctrl-C, SIGTERM): exit 2, and the number of keys already written is printed; run the
same restore again with --on-conflict replace to complete it.

Exit codes: 0 restored and checked · 1 conflicts under --on-conflict fail (nothing written), or a
  key failed / a check mismatched / keys outside database 0 left out · 2 declined or interrupted
  · 3 usage (a folder instead of a file), --yes missing, target too old for the payloads · 4 auth/ACL
  or wrong key · 5 unreachable · 6 the backup is corrupt (nothing written)

ACL (restore user; narrow ~* to the namespaces you restore):
  ACL SETUSER restore ${RESTORE_ACL}

Examples:
  $ gridctl restore backups/gridctl-backup-20261127T101500123Z.gbk --dry-run
  $ gridctl restore backups/gridctl-backup-20261127T101500123Z.gbk --target staging --yes
  $ gridctl restore backup.gbk --match 'orderbook:*' --on-conflict replace --yes --json
  $ gridctl restore rdb/gridctl-backup-20261127T101500123Z.manifest.json --target staging --yes`,
    );
}
