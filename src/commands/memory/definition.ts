import { Command, Option } from 'commander';

export function memoryCommand(): Command {
  return new Command('memory')
    .description('memory and keyspace by namespace across every master (or replica): sizes, TTL coverage, big keys, leaks')
    .option('--match <pattern>', 'only keys matching this SCAN pattern, e.g. "user:*"')
    .option('--replicas', 'scan one replica per master instead of the masters (READONLY on a Cluster)')
    .option('--samples <n>', 'MEMORY USAGE SAMPLES for collections; 0 = every element (exact, slower) (default 5)')
    .option('--sample <ratio>', 'analyse only this fraction of keys (0 < RATIO <= 1); totals are extrapolated with a 95% error margin')
    .option('--depth <n>', 'prefix segments used to group keys outside declared namespaces (default 2: a:b:*)')
    .option('--top <n>', 'size of the top-keys lists (default 10)')
    .option('--big-key-bytes <size>', 'a key above this size is a big key (default 10mb)')
    .option('--big-key-elements <n>', 'a collection with more elements is a big key (default 100000)')
    .option('--baseline <file>', 'a previous `gridctl memory --json` report: show growth per namespace')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity (default critical)').choices(['info', 'warning', 'critical', 'never']))
    .option('--max-rate <keys/s>', 'analyse at most this many keys per second across the deployment')
    .option('--batch-ms <ms>', 'target server time per analysis batch; batches adapt to it (default 5)')
    .addOption(new Option('--technique <kind>', 'per-key work: a read-only Lua script per batch, or pipelined commands (auto: script, pipeline if EVAL is refused)').choices(['auto', 'script', 'pipeline']))
    .addOption(new Option('--format <format>', 'output format (json = --json)').choices(['table', 'json', 'prometheus']))
    .option('--from <file>', 'analyse a backup instead of the deployment: an RDB file (backup --mode rdb, redis-cli --rdb, dump.rdb), a .gbk archive or a .manifest.json; no server is contacted')
    .addOption(new Option('--allocator <build>', 'with --from: size allocations for the jemalloc Redis bundles (bundled) or a system jemalloc (system, e.g. Debian\'s package); auto: from the used_memory the RDB records').choices(['auto', 'bundled', 'system']))
    .option('--encrypt-key-file <path>', 'with --from: the key file of an encrypted archive')
    .addHelpText(
      'after',
      `
Namespaces come from gridctl.yaml \`namespaces\` (patterns like user:session:{session_id}) or the
gateway defaults; other keys are grouped by prefix. Per namespace: keys, bytes, share, average and
largest size, type mix, TTL coverage and histogram, biggest keys; plus the top keys by bytes and by
elements, and findings. Progress (keys done of DBSIZE, rate, ETA) is shown on a terminal only.

Findings: critical = ephemeral or lock keys without TTL · warning = cache keys without TTL, store
keys evictable under the maxmemory policy, big keys, keys of the wrong type · info = undeclared keys.

--from FILE reads a backup instead (RDB 9-12, and 13-15 / Valkey 80-81 as far as they are known;
every byte checked: the RDB's CRC-64, the archive's CRCs and SHA-256): the same report, with each
key's bytes computed by MEMORY USAGE's own formula from what the file holds (within a few percent
of the live command), keys whose TTL had run out at backup time left out, TTLs counted from the
backup's time, and each namespace's encodings. No server is contacted: no ACL is needed (ACL: none).

Exit codes: 0 no finding at --fail-on level · 1 findings at or above --fail-on · 3 usage/config
(with --from also: a missing file, an RDB version this gridctl does not read) · 4 authentication
or permission denied (NOPERM; a wrong archive key) · 5 unreachable or timed out ·
6 the --from file is damaged or truncated (the message names the file and byte offset)

ACL (read-only user; key access %R~*):
  script technique:   %R~* +ping +info +client|setname +dbsize +scan +type +pttl +memory|usage
                      +llen +scard +zcard +hlen +xlen +eval +evalsha
                      (+cluster|slots +cluster|nodes on a Cluster, +readonly with --replicas,
                       +client|no-touch on Redis 7.2+)
  pipeline technique: the same without +eval +evalsha (used automatically when EVAL is refused)

Examples:
  $ gridctl memory                                   every master, table
  $ gridctl memory --json > mem-$(date +%F).json     save a report (a later --baseline)
  $ gridctl memory --baseline mem-2026-11-20.json    growth per namespace since then
  $ gridctl memory --target prod --replicas --max-rate 50000
  $ gridctl memory --sample 0.1 --fail-on warning    a 10% sample; fail CI on warnings
  $ gridctl memory --match 'user:session:*' --top 20
  $ gridctl memory --from /var/backups/redis/gridctl-backup-20261127T101500123Z.gbk
  $ gridctl memory --from dump.rdb --format prometheus > /var/lib/node_exporter/textfile/redis-keys.prom`,
    );
}
