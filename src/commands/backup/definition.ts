import { Command, Option } from 'commander';

export const BACKUP_ACL = 'on >PASSWORD resetkeys %R~* resetchannels -@all +ping +info +dbsize +scan +dump +pexpiretime +pttl +select +client|setname +cluster|nodes +cluster|slots +cluster|shards +readonly';
const BACKUP_RDB_ACL = 'on >PASSWORD resetkeys resetchannels -@all +ping +info +dbsize +cluster|nodes +cluster|slots +client|setname +replconf +sync';

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
    );

  cmd.addCommand(backupVerifyCommand());
  cmd.addCommand(backupDiffCommand());
  return cmd;
}

/** `gridctl backup verify` */
function backupVerifyCommand(): Command {
  return new Command('verify')
    .description('check a backup without a server: an archive (every frame, every payload\'s CRC-64, counts, SHA-256, decryption), an RDB file, or either\'s manifest; says which kind it read')
    .argument('<file>', 'a .gbk archive, an .rdb file (from --mode rdb, or any RDB), or a .manifest.json')
    .option('--encrypt-key-file <path>', 'key file for an encrypted archive')
    .option('--no-check-rdb', 'RDB files: check their CRC-64 and structure only, not with redis-check-rdb (e.g. a redis-check-rdb older than the server that wrote them)')
    .addHelpText(
      'after',
      `
A manifest's files must lie beside it and have the size and SHA-256 it records; a file given
directly is held to the manifest beside it the same way. An RDB file must end exactly with its
CRC-64 (bytes appended after it are refused), and then pass redis-check-rdb when it is on PATH.

Exit codes: 0 intact · 3 usage (missing file, a folder, encrypted without a key) · 4 wrong key · 6 corrupt (the message names the byte offset, frame and records, or the checker and why)
ACL: none (no server is contacted).

Examples:
  $ gridctl backup verify backups/gridctl-backup-20261127T101500123Z.gbk
  $ gridctl backup verify backups/gridctl-backup-20261127T101500123Z.gbk --encrypt-key-file backup.key --json`,
    );
}

/** `gridctl backup diff` */
function backupDiffCommand(): Command {
  return new Command('diff')
    .description('compare two backups by namespace without a server: keys and bytes added, removed, grown; TTL coverage; new big keys')
    .argument('<before>', 'the older backup: an RDB file, a .gbk archive or a .manifest.json')
    .argument('<after>', 'the newer backup (either kind)')
    .option('--keys <namespace>', 'also list the changed keys of this namespace (named as the report shows it, e.g. "user:session:{session_id}")')
    .option('--limit <n>', 'at most this many keys with --keys (default 1000)')
    .option('--match <pattern>', 'only keys matching this glob')
    .option('--depth <n>', 'prefix segments used to group keys outside declared namespaces (default 2)')
    .option('--big-key-bytes <size>', 'a key above this size is a big key (default 10mb)')
    .option('--big-key-elements <n>', 'a collection with more elements is a big key (default 100000)')
    .addOption(new Option('--allocator <build>', 'size allocations for the jemalloc Redis bundles (bundled) or a system jemalloc (system); auto: from the used_memory the RDB files record').choices(['auto', 'bundled', 'system']))
    .option('--encrypt-key-file <path>', 'key file of encrypted archives (the same key for both)')
    .addOption(new Option('--format <format>', 'output format (json = --json)').choices(['table', 'json']))
    .addHelpText(
      'after',
      `
Both backups are read whole (every checksum checked) at the same time; keys are matched by a 64-bit
fingerprint of their name. Per namespace: keys before and after, added / removed / grown / shrunk,
bytes before and after (MEMORY USAGE's formula, as \`memory --from\`), TTL coverage before and after;
then the keys that became big. Keys whose TTL had run out at backup time are left out of each side.

Exit codes: 0 compared · 3 usage (missing file, unknown --keys namespace, encrypted without a key,
an RDB version this gridctl does not read) ·
4 wrong key · 6 a backup is damaged or truncated (the message names the file and byte offset)
ACL: none (no server is contacted).

Examples:
  $ gridctl backup diff backups/gridctl-backup-20261126T101500123Z.gbk backups/gridctl-backup-20261127T101500123Z.gbk
  $ gridctl backup diff monday.rdb tuesday.rdb --keys 'user:session:{session_id}' --limit 50
  $ gridctl backup diff a.manifest.json b.manifest.json --json > diff.json`,
    );
}
