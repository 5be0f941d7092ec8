import { Command, Option } from 'commander';

/** The ACL rule the failover drill's user needs on the data nodes (its keys live under drill:*). */
const DRILL_FAILOVER_ACL = 'on >PASSWORD resetkeys ~drill:* resetchannels -@all +ping +info +set +get +mget +unlink +wait +role +replicaof +client|pause +client|unpause +client|setname +cluster|nodes +cluster|slots +cluster|info +cluster|failover';
const DRILL_FAILOVER_SENTINEL_ACL = 'on >PASSWORD resetchannels &+switch-master -@all +ping +subscribe +client|setname +sentinel|get-master-addr-by-name +sentinel|replicas +sentinel|sentinels +sentinel|master +sentinel|failover';

export function drillCommand(): Command {
  const cmd = new Command('drill').description('disaster-recovery drills: restore the newest backup into a throwaway deployment; rehearse a failover under load');
  cmd.addCommand(drillRestoreCommand());
  cmd.addCommand(drillFailoverCommand());
  return cmd;
}

/** `gridctl drill restore` */
function drillRestoreCommand(): Command {
  return new Command('restore')
    .description('restore the newest verified backup (or FILE) into a throwaway local deployment of its topology and check it: counts, TTLs, a sample against the source; reports the RTO')
    .argument('[file]', 'a .gbk archive, a .manifest.json or an .rdb file (default: the newest verified backup in --dir)')
    .option('--dir <dir>', 'the backup directory (gridctl.yaml backup.dir; default ./backups)')
    .option('--encrypt-key-file <path>', 'key file for an encrypted archive (gridctl.yaml backup.encryptKeyFile)')
    .option('--sample <n>', 'keys sampled for the TTL check and the comparison with the source (default 100)')
    .option('--redis-server <path>', 'redis-server binary of the throwaway deployment (default: the one on PATH); use the source version')
    .option('--redis-sentinel <path>', 'redis-sentinel binary for a Sentinel backup (default: the one on PATH)')
    .option('--no-source', 'do not compare a sample with the live source (by default: when --url/--target/REDIS_URL reaches it)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'prometheus']))
    .option('--textfile <file>', 'also write the Prometheus metrics to this file (atomically; also when the drill fails), for node_exporter')
    .addHelpText(
      'after',
      `
Starts a private deployment of the backup's topology (standalone; Sentinel: 1 master, 2 replicas,
3 sentinels; Cluster: 3 masters, 3 replicas) with the harness of \`gridctl up\`, on loopback and free
ports with a random password, restores into it with \`gridctl restore\`, checks it, and stops and
removes it on every path (also on Ctrl-C and SIGTERM). No live server is written to.

Checks: the manifest against the archive (records, bytes) · the restore's own checks (every key
restored, TYPE, a re-DUMPed sample) · keys per type and per namespace against the manifest (keys
expired since the backup are allowed to be missing) · TTLs of a sample · a sample against the source
(WARN: live data moves on) · the local Redis version against the backup's (WARN).

Exit codes: 0 drill passed · 1 a check failed (named) or no verified backup found · 2 interrupted
  · 3 usage / redis-server missing · 4 wrong key · 6 the backup is corrupt

ACL: none on the throwaway deployment (gridctl creates it); on the source (optional sample):
  ACL SETUSER drill on >PASSWORD resetkeys %R~* resetchannels -@all +ping +info +dump +cluster|slots +cluster|nodes

Examples:
  $ gridctl drill restore --dir /var/backups/redis
  $ gridctl drill restore --dir /var/backups/redis --target prod --textfile /var/lib/node_exporter/textfile/gridctl-drill.prom
  $ gridctl drill restore backups/gridctl-backup-20261127T101500123Z.gbk --no-source --json`,
    );
}

/** `gridctl drill failover` */
function drillFailoverCommand(): Command {
  return new Command('failover')
    .description('fail a Sentinel or Cluster deployment over under a writer and a reader; measure the time until writes succeed again and the acknowledged writes lost')
    .option('--kill', 'SIGKILL the master instead of a coordinated failover (a local `gridctl up` deployment only; restarted afterwards with the redis-server on PATH)')
    .option('--failback', 'fail over once more afterwards (Cluster: back to the original master; Sentinel: to the replica the sentinels choose)')
    .option('--warmup <duration>', 'writes before the failover (default 1s)')
    .option('--settle <duration>', 'writes after the writes succeed again (default 1s)')
    .option('--failover-timeout <duration>', 'give up when no new master is serving writes after this (default 30s)')
    .option('--rate <writes/s>', 'writes per second of the writer (default 200)')
    .option('--wait-timeout <ms>', 'WAIT 1 timeout of each write, ms (default 1000)')
    .option('--dry-run', 'show what would be failed over and how; change nothing')
    .option('--i-know-this-is-production', 'allow a production target (gridctl.yaml profile production, or a target named *prod*)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']))
    .addHelpText(
      'after',
      `
A writer (SET drill:{failover-<id>}:<n>, then WAIT 1) and a reader (GET) run through the deployment
as the gateway does (Sentinel discovery / Cluster redirection, reconnecting). Then: SENTINEL FAILOVER
on a sentinel, the old master's writes paused (CLIENT PAUSE WRITE) until it is made a replica of the
new one; or CLUSTER FAILOVER on a replica of the master that holds the drill's slot (--kill: SIGKILL
of that master, restarted once another node serves). Measured: the time from the trigger until writes succeed on the new master,
the failed commands, acknowledged writes lost (acknowledged by WAIT 1 but missing on the new master),
and whether every client reconnected. The drill's keys are deleted at the end; the report says what
was changed. Writes go to the live deployment: a prompt on a terminal, --yes otherwise.

Exit codes: 0 failed over, no acknowledged write lost, the deployment healthy afterwards
  · 1 writes lost, no recovery within --failover-timeout, or not healthy afterwards · 2 declined
  · 3 usage (standalone target, production without --i-know-this-is-production, --yes missing)
  · 4 auth/ACL · 5 unreachable

ACL (data nodes; the drill's keys only):
  ACL SETUSER drill ${DRILL_FAILOVER_ACL}
ACL (sentinels):
  ACL SETUSER drill ${DRILL_FAILOVER_SENTINEL_ACL}

Examples:
  $ gridctl drill failover --dry-run
  $ gridctl drill failover --target staging --yes --json
  $ gridctl drill failover --kill --failback --yes                 on what \`gridctl up --topology sentinel\` started`,
    );
}
