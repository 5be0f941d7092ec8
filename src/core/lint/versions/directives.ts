import { hasRedis74Additions, type ServerVersion } from '../../config/server-versions.js';

/**
 * Directive names each target accepts in a config file. Redis 7.0.15's list was taken from the
 * binary Debian ships (CONFIG GET * plus the hidden configs), the others are 7.0 plus the
 * differences listed in the rule catalog (VER001), diffed from each release's src/config.c.
 */
export const REDIS_70_CONFIGS: readonly string[] = [
  'acl-pubsub-default',
  'aclfile',
  'acllog-max-len',
  'active-defrag-cycle-max',
  'active-defrag-cycle-min',
  'active-defrag-ignore-bytes',
  'active-defrag-max-scan-fields',
  'active-defrag-threshold-lower',
  'active-defrag-threshold-upper',
  'active-expire-effort',
  'activedefrag',
  'activerehashing',
  'always-show-logo',
  'aof-disable-auto-gc',
  'aof-load-truncated',
  'aof-rewrite-incremental-fsync',
  'aof-timestamp-enabled',
  'aof-use-rdb-preamble',
  'aof_rewrite_cpulist',
  'appenddirname',
  'appendfilename',
  'appendfsync',
  'appendonly',
  'auto-aof-rewrite-min-size',
  'auto-aof-rewrite-percentage',
  'bgsave_cpulist',
  'bind',
  'bind-source-addr',
  'bio_cpulist',
  'busy-reply-threshold',
  'client-output-buffer-limit',
  'client-query-buffer-limit',
  'cluster-allow-pubsubshard-when-down',
  'cluster-allow-reads-when-down',
  'cluster-allow-replica-migration',
  'cluster-announce-bus-port',
  'cluster-announce-hostname',
  'cluster-announce-ip',
  'cluster-announce-port',
  'cluster-announce-tls-port',
  'cluster-config-file',
  'cluster-enabled',
  'cluster-link-sendbuf-limit',
  'cluster-migration-barrier',
  'cluster-node-timeout',
  'cluster-port',
  'cluster-preferred-endpoint-type',
  'cluster-replica-no-failover',
  'cluster-replica-validity-factor',
  'cluster-require-full-coverage',
  'cluster-slave-no-failover',
  'cluster-slave-validity-factor',
  'crash-log-enabled',
  'crash-memcheck-enabled',
  'daemonize',
  'databases',
  'dbfilename',
  'dir',
  'disable-thp',
  'dynamic-hz',
  'enable-debug-command',
  'enable-module-command',
  'enable-protected-configs',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'hash-max-ziplist-entries',
  'hash-max-ziplist-value',
  'hll-sparse-max-bytes',
  'hz',
  'ignore-warnings',
  'io-threads',
  'io-threads-do-reads',
  'jemalloc-bg-thread',
  'key-load-delay',
  'latency-monitor-threshold',
  'latency-tracking',
  'latency-tracking-info-percentiles',
  'lazyfree-lazy-eviction',
  'lazyfree-lazy-expire',
  'lazyfree-lazy-server-del',
  'lazyfree-lazy-user-del',
  'lazyfree-lazy-user-flush',
  'lfu-decay-time',
  'lfu-log-factor',
  'list-compress-depth',
  'list-max-listpack-size',
  'list-max-ziplist-size',
  'loading-process-events-interval-bytes',
  'logfile',
  'loglevel',
  'lua-enable-deprecated-api',
  'lua-time-limit',
  'masterauth',
  'masteruser',
  'maxclients',
  'maxmemory',
  'maxmemory-clients',
  'maxmemory-eviction-tenacity',
  'maxmemory-policy',
  'maxmemory-samples',
  'min-replicas-max-lag',
  'min-replicas-to-write',
  'min-slaves-max-lag',
  'min-slaves-to-write',
  'no-appendfsync-on-rewrite',
  'notify-keyspace-events',
  'oom-score-adj',
  'oom-score-adj-values',
  'pidfile',
  'port',
  'proc-title-template',
  'propagation-error-behavior',
  'protected-mode',
  'proto-max-bulk-len',
  'rdb-del-sync-files',
  'rdb-key-save-delay',
  'rdb-save-incremental-fsync',
  'rdbchecksum',
  'rdbcompression',
  'repl-backlog-size',
  'repl-backlog-ttl',
  'repl-disable-tcp-nodelay',
  'repl-diskless-load',
  'repl-diskless-sync',
  'repl-diskless-sync-delay',
  'repl-diskless-sync-max-replicas',
  'repl-ping-replica-period',
  'repl-ping-slave-period',
  'repl-timeout',
  'replica-announce-ip',
  'replica-announce-port',
  'replica-announced',
  'replica-ignore-disk-write-errors',
  'replica-ignore-maxmemory',
  'replica-lazy-flush',
  'replica-priority',
  'replica-read-only',
  'replica-serve-stale-data',
  'replicaof',
  'requirepass',
  'sanitize-dump-payload',
  'save',
  'server_cpulist',
  'set-max-intset-entries',
  'set-proc-title',
  'shutdown-on-sigint',
  'shutdown-on-sigterm',
  'shutdown-timeout',
  'slave-announce-ip',
  'slave-announce-port',
  'slave-ignore-maxmemory',
  'slave-lazy-flush',
  'slave-priority',
  'slave-read-only',
  'slave-serve-stale-data',
  'slaveof',
  'slowlog-log-slower-than',
  'slowlog-max-len',
  'socket-mark-id',
  'stop-writes-on-bgsave-error',
  'stream-node-max-bytes',
  'stream-node-max-entries',
  'supervised',
  'syslog-enabled',
  'syslog-facility',
  'syslog-ident',
  'tcp-backlog',
  'tcp-keepalive',
  'timeout',
  'tls-auth-clients',
  'tls-ca-cert-dir',
  'tls-ca-cert-file',
  'tls-cert-file',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-client-cert-file',
  'tls-client-key-file',
  'tls-client-key-file-pass',
  'tls-cluster',
  'tls-dh-params-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-port',
  'tls-prefer-server-ciphers',
  'tls-protocols',
  'tls-replication',
  'tls-session-cache-size',
  'tls-session-cache-timeout',
  'tls-session-caching',
  'tracking-table-max-keys',
  'unixsocket',
  'unixsocketperm',
  'use-exit-on-panic',
  'watchdog-period',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
  'zset-max-ziplist-entries',
  'zset-max-ziplist-value',
];

/** Directives handled outside the config table in loadServerConfigFromString (7.0 and later). */
export const SPECIAL_DIRECTIVES = ['include', 'rename-command', 'user', 'loadmodule', 'sentinel'] as const;

/** Deprecated, accepted and ignored by 7.0 (deprecated_configs[] in config.c), with their argument count. */
export const DEPRECATED_DIRECTIVES: Record<string, number> = {
  'list-max-ziplist-entries': 2,
  'list-max-ziplist-value': 2,
  'lua-replicate-commands': 2,
};

/** The server the files are checked against: one of the servers gridctl knows. */
export type TargetVersion = ServerVersion;

const ADDED_72 = ['locale-collate', 'cluster-announce-human-nodename', 'set-max-listpack-entries', 'set-max-listpack-value', 'cluster-ping-interval', 'client-default-resp'];
const ADDED_74 = ['hide-user-data-from-log', 'max-new-connections-per-cycle', 'max-new-tls-connections-per-cycle', 'server-cpulist', 'bio-cpulist', 'aof-rewrite-cpulist', 'bgsave-cpulist'];
const ADDED_VALKEY_8 = [
  'unixsocketgroup', 'availability-zone', 'cluster-announce-client-ipv4', 'cluster-announce-client-ipv6', 'cluster-slot-stats-enabled',
  'dual-channel-replication-enabled', 'extended-redis-compatibility', 'events-per-io-thread', 'prefetch-batch-max-size', 'primaryauth', 'primaryuser',
];

/** The first target that knows a directive the given target does not (for "added in X" hints). */
export const INTRODUCED_IN: Record<string, string> = {
  ...Object.fromEntries(ADDED_72.map((d) => [d, 'Redis 7.2'])),
  ...Object.fromEntries(ADDED_74.map((d) => [d, 'Redis 7.4'])),
  ...Object.fromEntries(ADDED_VALKEY_8.map((d) => [d, 'Valkey 8.0'])),
};

const cache = new Map<TargetVersion, Set<string>>();

/** Every directive name (lower case) a target accepts, including the special ones and aliases. */
export function knownDirectives(version: TargetVersion): Set<string> {
  let set = cache.get(version);
  if (set) return set;
  const names = [...REDIS_70_CONFIGS, ...SPECIAL_DIRECTIVES, ...Object.keys(DEPRECATED_DIRECTIVES)];
  if (version !== '7.0') names.push(...ADDED_72);
  if (hasRedis74Additions(version)) names.push(...ADDED_74);
  // Valkey 8.0 forked from 7.2 and later took the 7.4 additions it needed; hide-user-data-from-log is in 8.0.
  if (version === 'valkey-8') names.push(...ADDED_VALKEY_8, 'hide-user-data-from-log');
  set = new Set(names);
  cache.set(version, set);
  return set;
}

/** The canonical name of an alias (slaveof -> replicaof), so rules look up one spelling. */
export const DIRECTIVE_ALIASES: Record<string, string> = {
  slaveof: 'replicaof',
  'slave-serve-stale-data': 'replica-serve-stale-data',
  'slave-read-only': 'replica-read-only',
  'slave-priority': 'replica-priority',
  'slave-announce-ip': 'replica-announce-ip',
  'slave-announce-port': 'replica-announce-port',
  'slave-lazy-flush': 'replica-lazy-flush',
  'slave-ignore-maxmemory': 'replica-ignore-maxmemory',
  'repl-ping-slave-period': 'repl-ping-replica-period',
  'min-slaves-to-write': 'min-replicas-to-write',
  'min-slaves-max-lag': 'min-replicas-max-lag',
  'cluster-slave-validity-factor': 'cluster-replica-validity-factor',
  'cluster-slave-no-failover': 'cluster-replica-no-failover',
  'hash-max-ziplist-entries': 'hash-max-listpack-entries',
  'hash-max-ziplist-value': 'hash-max-listpack-value',
  'zset-max-ziplist-entries': 'zset-max-listpack-entries',
  'zset-max-ziplist-value': 'zset-max-listpack-value',
  'list-max-ziplist-size': 'list-max-listpack-size',
  primaryauth: 'masterauth',
  primaryuser: 'masteruser',
  'server-cpulist': 'server_cpulist',
  'bio-cpulist': 'bio_cpulist',
  'aof-rewrite-cpulist': 'aof_rewrite_cpulist',
  'bgsave-cpulist': 'bgsave_cpulist',
};

/**
 * Directives that take several arguments: the eight MULTI_ARG_CONFIG ones of config.c (the same in
 * 7.0, 7.2, 7.4 and Valkey 8; slaveof is replicaof's alias), including the shutdown-on-* enums that
 * take several flags ("nosave force now"). Every other table directive takes exactly one.
 */
export const MULTI_ARG_DIRECTIVES = new Set(['save', 'bind', 'client-output-buffer-limit', 'oom-score-adj-values', 'latency-tracking-info-percentiles', 'replicaof', 'slaveof', 'shutdown-on-sigint', 'shutdown-on-sigterm']);

/** Directives whose lines accumulate instead of the last one winning. */
export const ACCUMULATING_DIRECTIVES = new Set(['include', 'loadmodule', 'rename-command', 'client-output-buffer-limit', 'user', 'sentinel', 'save']);

export const BOOL_DIRECTIVES = new Set([
  'protected-mode', 'daemonize', 'appendonly', 'rdbchecksum', 'rdbcompression', 'stop-writes-on-bgsave-error', 'aof-use-rdb-preamble',
  'no-appendfsync-on-rewrite', 'aof-load-truncated', 'replica-read-only', 'replica-serve-stale-data', 'cluster-enabled',
  'cluster-require-full-coverage', 'cluster-allow-reads-when-down', 'tls-replication', 'tls-cluster', 'tls-prefer-server-ciphers',
  'lazyfree-lazy-eviction', 'lazyfree-lazy-expire', 'lazyfree-lazy-server-del', 'lazyfree-lazy-user-del', 'lazyfree-lazy-user-flush',
  'replica-lazy-flush', 'activerehashing', 'activedefrag', 'dynamic-hz', 'repl-diskless-sync', 'repl-disable-tcp-nodelay',
  'always-show-logo', 'syslog-enabled', 'io-threads-do-reads', 'jemalloc-bg-thread', 'set-proc-title', 'crash-log-enabled',
  'crash-memcheck-enabled', 'disable-thp', 'latency-tracking', 'cluster-replica-no-failover', 'cluster-allow-replica-migration',
  'tls-session-caching', 'rdb-del-sync-files', 'aof-timestamp-enabled', 'replica-announced', 'rdb-save-incremental-fsync',
  'aof-rewrite-incremental-fsync', 'lua-replicate-commands', 'hide-user-data-from-log',
]);

export const ENUM_DIRECTIVES: Record<string, readonly string[]> = {
  loglevel: ['debug', 'verbose', 'notice', 'warning'],
  'maxmemory-policy': ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
  appendfsync: ['always', 'everysec', 'no'],
  supervised: ['upstart', 'systemd', 'auto', 'no'],
  'repl-diskless-load': ['disabled', 'on-empty-db', 'swapdb'],
  'tls-auth-clients': ['no', 'yes', 'optional'],
  'enable-debug-command': ['no', 'yes', 'local'],
  'enable-module-command': ['no', 'yes', 'local'],
  'enable-protected-configs': ['no', 'yes', 'local'],
  'acl-pubsub-default': ['allchannels', 'resetchannels'],
  'sanitize-dump-payload': ['no', 'yes', 'clients'],
  'cluster-preferred-endpoint-type': ['ip', 'hostname', 'unknown-endpoint'],
  'propagation-error-behavior': ['ignore', 'panic', 'panic-on-replicas'],
  'oom-score-adj': ['no', 'yes', 'relative', 'absolute'],
  'syslog-facility': ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
};

/** Numeric directives and their valid range; memory-typed ones accept units. */
export const NUMERIC_DIRECTIVES: Record<string, { min: number; max: number; memory?: boolean }> = {
  port: { min: 0, max: 65535 },
  'tls-port': { min: 0, max: 65535 },
  'cluster-port': { min: 0, max: 65535 },
  timeout: { min: 0, max: 2 ** 31 - 1 },
  'tcp-keepalive': { min: 0, max: 2 ** 31 - 1 },
  'tcp-backlog': { min: 0, max: 2 ** 31 - 1 },
  databases: { min: 1, max: 2 ** 31 - 1 },
  maxclients: { min: 1, max: 2 ** 32 - 1 },
  maxmemory: { min: 0, max: Number.MAX_SAFE_INTEGER, memory: true },
  'maxmemory-samples': { min: 1, max: 64 },
  'min-replicas-to-write': { min: 0, max: 2 ** 31 - 1 },
  'min-replicas-max-lag': { min: 0, max: 2 ** 31 - 1 },
  'cluster-node-timeout': { min: 0, max: Number.MAX_SAFE_INTEGER },
  'latency-monitor-threshold': { min: 0, max: Number.MAX_SAFE_INTEGER },
  'slowlog-log-slower-than': { min: -1, max: Number.MAX_SAFE_INTEGER },
  'slowlog-max-len': { min: 0, max: Number.MAX_SAFE_INTEGER },
  'repl-backlog-size': { min: 1, max: Number.MAX_SAFE_INTEGER, memory: true },
  'io-threads': { min: 1, max: 128 },
  hz: { min: 0, max: 2 ** 31 - 1 },
};
