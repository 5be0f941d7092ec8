import { Command, Option } from 'commander';

export function healthCommand(): Command {
  return new Command('health')
    .description('check every node of a live deployment (standalone, Sentinel, Cluster) against the gateway SLOs')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'prometheus']))
    .option('--strict', 'exit 1 on WARN too, not only on FAIL', false)
    .option('--samples <n>', 'PING samples per node for the latency percentiles (default slo.pingSamples, 20)')
    .option('--backup-dir <dir>', 'the backup directory whose newest verified backup must be younger than slo.backupMaxAge (default gridctl.yaml backup.dir)')
    .addHelpText(
      'after',
      `
Checks (PASS / WARN / FAIL, each with its value and threshold):
  per data node   reachable, latency p50/p99 (SLO < 1ms), replication link and lag, memory vs maxmemory
                  (WARN at 70%, FAIL at 90%; no maxmemory = WARN), fragmentation, hit rate (> 80%),
                  evicted keys, rejected connections, clients vs maxclients, persistence (last save, AOF),
                  authentication failures, password-less default user, TLS, cluster state and slots
  per sentinel    master address and flags, CKQUORUM, sentinels and replicas seen
  deployment      sentinels agree on the master, cluster masters without replica,
                  consumer groups of the gateway streams (lag, shown unknown when Redis cannot tell,
                  pending, pending idle, dead consumers, poison entries: as \`gridctl stream inspect\`),
                  subscribers on its pub/sub channels (pubsub.critical ones FAIL at 0)
                  backup-freshness: the newest verified backup in --backup-dir / backup.dir is younger
                  than slo.backupMaxAge (default 26h; FAIL past it or with none; SKIP without a dir)
Thresholds come from gridctl.yaml \`slo\` (defaults: the gateway's success metrics).

ACL permissions (a monitor user): +ping +info +latency +cluster|info +cluster|nodes +acl|log
  +acl|getuser +xinfo +xpending +type +pubsub|numsub, and on sentinels +sentinel. Missing ones turn that check into SKIP.

Exit codes: 0 no FAIL (and no WARN with --strict) · 1 a FAIL (or WARN with --strict)
            3 usage/config error · 4 authentication or permission denied · 5 unreachable / timeout

Examples:
  $ gridctl health                               what \`gridctl up\` started in this directory
  $ gridctl health --url rediss://monitor@10.0.0.5:6380 --tls-ca ca.crt --password-file monitor.pass
  $ gridctl health --target prod --strict
  $ gridctl health --sentinel 10.0.0.7:26379,10.0.0.8:26379 --master-name gridtokenx
  $ gridctl health --format prometheus > /var/lib/node_exporter/textfile/gridctl.prom
  $ gridctl health --backup-dir /var/backups/redis`,
    );
}
