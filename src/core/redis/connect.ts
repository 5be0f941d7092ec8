import { Redis, Cluster, type RedisOptions, type ClusterNode } from 'ioredis';
import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext, type ErrorContext } from './errors.js';
import type { ConnectionSpec, Credentials, TlsOptions } from './spec.js';
import { endpointLabel, type Endpoint } from './endpoint.js';
import { toTlsOptions } from './tls-options.js';

export type AnyRedis = Redis | Cluster;

export { endpointLabel, type Endpoint } from './endpoint.js';
export { toTlsOptions } from './tls-options.js';
export { errorContext } from './errors.js';

/**
 * ioredis options that fail fast instead of retrying forever: no reconnects, no offline queue
 * growth, and a per-command timeout, so no gridctl command can hang on a dead server.
 */
export function baseRedisOptions(
  spec: Pick<ConnectionSpec, 'timeoutMs' | 'db'>,
  auth: Credentials,
  tls: TlsOptions | undefined,
): RedisOptions {
  const opts: RedisOptions = {
    lazyConnect: true,
    connectTimeout: spec.timeoutMs,
    commandTimeout: spec.timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    // ioredis' ready check runs INFO and prints a warning when the user may not run it (an app or
    // backup user); gridctl proves the connection with its own PING instead.
    enableReadyCheck: false,
    autoResubscribe: false,
    // CLIENT LIST shows gridctl's connections by name. ioredis' own CLIENT SETINFO would cost two
    // more commands per connection, fail on Redis < 7.2, and, bundled (scripts/bundle.mjs), report
    // its version as "error-fetching-version": it reads the version from a package.json beside it.
    connectionName: 'gridctl',
    disableClientInfo: true,
  };
  if (auth.username) opts.username = auth.username;
  if (auth.password) opts.password = auth.password;
  if (spec.db) opts.db = spec.db;
  const t = toTlsOptions(tls);
  if (t) opts.tls = t;
  return opts;
}

/**
 * Connect a client and prove the connection works (PING), within the timeout. Any failure is
 * classified into a GridctlError; the last 'error' event is kept because ioredis often rejects
 * connect() with a generic "Connection is closed" while the real cause went to the event.
 */
export async function connectAndPing(client: AnyRedis, ctx: ErrorContext): Promise<void> {
  let lastError: unknown;
  const onError = (err: unknown) => {
    lastError = err;
  };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), ctx.timeoutMs + 250);
  });
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      timeout,
    ]);
  } catch (err) {
    client.disconnect();
    throw classifyRedisError(pickCause(err, lastError), ctx);
  } finally {
    clearTimeout(timer);
  }
}

/** Prefer the specific cause (auth reply, TLS alert, socket code) over ioredis' generic wrapper. */
function pickCause(thrown: unknown, fromEvent: unknown): unknown {
  const msg = String((thrown as Error)?.message ?? '');
  const generic = /Connection is closed|connection is closed|None of startup nodes is available|Failed to refresh slots cache|All sentinels are unreachable|Stream isn't writeable|enableOfflineQueue/i;
  const lastNodeError = (thrown as { lastNodeError?: unknown })?.lastNodeError;
  if (fromEvent && generic.test(msg)) {
    const inner = (fromEvent as { lastNodeError?: unknown }).lastNodeError;
    return inner ?? fromEvent;
  }
  if (lastNodeError) return lastNodeError;
  return thrown;
}

/** A direct connection to one node (for per-node checks), with the data-node credentials and TLS. */
export async function connectNode(
  spec: ConnectionSpec,
  node: Endpoint,
  opts: { sentinel?: boolean; readOnly?: boolean } = {},
): Promise<Redis> {
  const auth = opts.sentinel ? (spec.sentinel?.auth ?? {}) : spec.auth;
  const tls = opts.sentinel ? spec.sentinel?.tls : spec.tls;
  const ro = baseRedisOptions(opts.sentinel ? { timeoutMs: spec.timeoutMs } : spec, auth, tls);
  if (opts.readOnly) ro.readOnly = true;
  const client = new Redis({ ...ro, host: node.host, port: node.port });
  await connectAndPing(client, errorContext(spec, `${opts.sentinel ? 'sentinel ' : ''}${endpointLabel(node)}`, opts.sentinel));
  return client;
}

/** The main client for a spec: a Redis (standalone or via Sentinel) or a Cluster. */
export async function connectMain(spec: ConnectionSpec): Promise<AnyRedis> {
  if (spec.nodes.length === 0) throw new GridctlError('USAGE', 'no Redis address given', { hint: 'pass --url, --target or set REDIS_URL' });
  if (spec.topology === 'standalone') {
    const node = spec.nodes[0]!;
    // One node of a Cluster (--node-only) may be a replica: READONLY lets it serve its reads.
    return connectNode(spec, node, spec.partOf === 'cluster' ? { readOnly: true } : {});
  }
  if (spec.topology === 'sentinel') {
    if (!spec.masterName) throw new GridctlError('USAGE', 'Sentinel needs a master name', { hint: 'pass --master-name or set masterName on the target' });
    const base = baseRedisOptions(spec, spec.auth, spec.tls);
    const sentinelTls = toTlsOptions(spec.sentinel?.tls);
    const opts: RedisOptions = {
      ...base,
      sentinels: spec.nodes.map((n) => ({ host: n.host, port: n.port })),
      name: spec.masterName,
      sentinelRetryStrategy: () => null,
      sentinelMaxConnections: 3,
      failoverDetector: false,
    };
    if (spec.sentinel?.auth.username) opts.sentinelUsername = spec.sentinel.auth.username;
    if (spec.sentinel?.auth.password) opts.sentinelPassword = spec.sentinel.auth.password;
    if (sentinelTls) {
      opts.enableTLSForSentinelMode = true;
      opts.sentinelTLS = sentinelTls;
    }
    const client = new Redis(opts);
    const label = `master "${spec.masterName}" via sentinels ${spec.nodes.map(endpointLabel).join(',')}`;
    await connectAndPing(client, errorContext(spec, label));
    return client;
  }
  const seeds: ClusterNode[] = spec.nodes.map((n) => ({ host: n.host, port: n.port }));
  const redisOptions = baseRedisOptions({ timeoutMs: spec.timeoutMs }, spec.auth, spec.tls);
  delete redisOptions.lazyConnect;
  const cluster = new Cluster(seeds, {
    lazyConnect: true,
    redisOptions,
    clusterRetryStrategy: () => null,
    enableOfflineQueue: true,
    slotsRefreshTimeout: spec.timeoutMs,
    // A Cluster whose state is fail (slots without a node) must still be reachable: health and the
    // coverage report are what say what is missing. ioredis' ready check would wait for state ok.
    enableReadyCheck: false,
    maxRedirections: 16,
    // TLS clusters: keep the host name the seeds were given so certificate checks still match.
    dnsLookup: (address, callback) => callback(null, address),
  });
  await connectAndPing(cluster, errorContext(spec, `cluster seeds ${spec.nodes.map(endpointLabel).join(',')}`));
  return cluster;
}
