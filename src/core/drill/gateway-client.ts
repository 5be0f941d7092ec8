import { Redis, Cluster, type RedisOptions } from 'ioredis';
import { GridctlError } from '../errors.js';
import { baseRedisOptions, connectAndPing, endpointLabel, errorContext, toTlsOptions, type AnyRedis } from '../redis/connect.js';
import type { ConnectionSpec } from '../redis/spec.js';

/** How long a drill client waits between reconnect attempts (the gateway's ioredis retries about as often). */
const RETRY_MS = 100;

/**
 * A client that behaves like the gateway's during a failover: it reconnects (Sentinel: asks the
 * sentinels for the new master, also on +switch-master and on READONLY; Cluster: follows MOVED and
 * refreshes the slot map) instead of failing fast like gridctl's own connections. Each command
 * still fails after `commandTimeoutMs`, so the drill counts what the gateway would see fail.
 */
export interface GatewayClient {
  client: AnyRedis;
  /** How often the client ended on its own and was started again (see restartWhenEnded). */
  restarts(): number;
  close(): void;
}

export async function connectGatewayClient(spec: ConnectionSpec, name: string, commandTimeoutMs: number): Promise<GatewayClient> {
  const base: RedisOptions = {
    ...baseRedisOptions(spec, spec.auth, spec.tls),
    connectionName: name,
    commandTimeout: commandTimeoutMs,
    retryStrategy: () => RETRY_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    reconnectOnError: (err) => (/^READONLY|^LOADING|^MASTERDOWN/.test(err.message) ? 2 : false),
  };
  let client: AnyRedis;
  let label: string;
  if (spec.topology === 'sentinel') {
    const opts: RedisOptions = { ...base, sentinels: spec.nodes.map((n) => ({ host: n.host, port: n.port })), name: spec.masterName!, sentinelRetryStrategy: () => RETRY_MS, failoverDetector: true };
    if (spec.sentinel?.auth.username) opts.sentinelUsername = spec.sentinel.auth.username;
    if (spec.sentinel?.auth.password) opts.sentinelPassword = spec.sentinel.auth.password;
    const sentinelTls = toTlsOptions(spec.sentinel?.tls);
    if (sentinelTls) Object.assign(opts, { enableTLSForSentinelMode: true, sentinelTLS: sentinelTls });
    client = new Redis(opts);
    label = `master "${spec.masterName}" via sentinels ${spec.nodes.map(endpointLabel).join(',')}`;
  } else if (spec.topology === 'cluster') {
    const { lazyConnect: _lazy, ...redisOptions } = base;
    client = new Cluster(spec.nodes.map((n) => ({ host: n.host, port: n.port })), {
      lazyConnect: true,
      redisOptions,
      clusterRetryStrategy: () => RETRY_MS,
      enableOfflineQueue: true,
      enableReadyCheck: false,
      retryDelayOnFailover: RETRY_MS,
      retryDelayOnClusterDown: RETRY_MS,
      retryDelayOnTryAgain: RETRY_MS,
      slotsRefreshTimeout: spec.timeoutMs,
      maxRedirections: 16,
      dnsLookup: (address, callback) => callback(null, address),
    });
    label = `cluster seeds ${spec.nodes.map(endpointLabel).join(',')}`;
  } else {
    throw new GridctlError('USAGE', 'a failover drill needs a Sentinel or Cluster deployment', { hint: 'point --target / --url / --sentinel at one (a standalone server has nothing to fail over to)' });
  }
  // Errors while it reconnects are what the drill measures, not crashes.
  client.on('error', () => undefined);
  await connectAndPing(client, errorContext(spec, label));
  return restartWhenEnded(client);
}

/**
 * ioredis (5.x) ends a Sentinel client for good when its failover detector hears +switch-master
 * while the client is reconnecting after its master died: the detector cancels the connect in
 * progress, and a cancelled connect is final. A gateway restarts such a client; so does the drill,
 * and counts it, so the report can say so instead of showing writes that never come back.
 */
function restartWhenEnded(client: AnyRedis): GatewayClient {
  let closing = false;
  let restarts = 0;
  client.on('end', () => {
    if (closing) return;
    restarts++;
    setTimeout(() => {
      if (!closing) client.connect().catch(() => undefined);
    }, RETRY_MS);
  });
  return {
    client,
    restarts: () => restarts,
    close() {
      closing = true;
      client.disconnect();
    },
  };
}
