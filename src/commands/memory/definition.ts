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
    .addHelpText(
      'after',
      `
Namespaces come from gridctl.yaml \`namespaces\` (patterns like user:session:{session_id}) or the
gateway defaults; other keys are grouped by prefix. Per namespace: keys, bytes, share, average and
largest size, type mix, TTL coverage and histogram, biggest keys; plus the top keys by bytes and by
elements, and findings. Progress (keys done of DBSIZE, rate, ETA) is shown on a terminal only.

Findings: critical = ephemeral or lock keys without TTL · warning = cache keys without TTL, store
keys evictable under the maxmemory policy, big keys, keys of the wrong type · info = undeclared keys.

Exit codes: 0 no finding at --fail-on level · 1 findings at or above --fail-on · 3 usage/config ·
4 authentication or permission denied (NOPERM) · 5 unreachable or timed out

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
  $ gridctl memory --match 'user:session:*' --top 20`,
    );
}
