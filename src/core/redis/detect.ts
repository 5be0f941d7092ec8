import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext } from './errors.js';
import { endpointLabel, type Endpoint } from './endpoint.js';
import { anyCommand, authenticate, connectSocket, type Reply } from './raw-connection.js';
import { SocketBytes, RedisReplyError } from './socket-bytes.js';
import { parseInfo } from './info.js';
import type { ConnectionSpec } from './spec.js';

/** What a node says it is (HELLO's `mode`, or INFO's redis_mode before Redis 6). */
export type ServerMode = 'standalone' | 'cluster' | 'sentinel';

export interface DetectedSpec {
  spec: ConnectionSpec;
  /** What detection found and did, for the operator (stderr). */
  notes: string[];
}

/**
 * A URL says where, not what. Ask the node (one short connection: AUTH, HELLO) whether it is a
 * standalone server, a Cluster node or a Sentinel, and turn the spec into the deployment behind
 * it: a Cluster node stands for its whole Cluster (unless --node-only), a Sentinel for the master
 * it monitors under the spec's master name.
 */
export async function detectTopology(spec: ConnectionSpec): Promise<DetectedSpec> {
  if (!spec.detect || spec.topology !== 'standalone') return { spec, notes: [] };
  const node = spec.nodes[0];
  if (!node) return { spec, notes: [] };
  const label = endpointLabel(node);
  const conn = await openProbe(spec, node, label);
  try {
    const mode = await serverMode(conn);
    const { detect: _detect, ...rest } = spec;
    if (mode === 'cluster' && spec.nodeOnly) return { spec: { ...rest, partOf: 'cluster' }, notes: [] };
    if (mode === 'cluster') {
      return { spec: { ...rest, topology: 'cluster' }, notes: [`${label} is a Cluster node: reaching the whole Cluster from it (--node-only for this node alone)`] };
    }
    if (mode === 'sentinel') return await followSentinel(rest, node, label, conn);
    return { spec: rest, notes: [] };
  } catch (err) {
    throw classifyRedisError(err, errorContext(spec, label));
  } finally {
    conn.socket.destroy();
  }
}

type Probe = { socket: import('node:net').Socket; input: SocketBytes };

async function openProbe(spec: ConnectionSpec, node: Endpoint, label: string): Promise<Probe> {
  try {
    const socket = await connectSocket(spec, node);
    const conn = { socket, input: new SocketBytes(socket, spec.timeoutMs) };
    try {
      await authenticate(conn, spec);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return conn;
  } catch (err) {
    throw classifyRedisError(err, errorContext(spec, label));
  }
}

/** HELLO 2 (no ACL rule needed, RESP2 kept); INFO server on a server older than Redis 6. */
async function serverMode(conn: Probe): Promise<ServerMode> {
  try {
    const hello = pairs(await anyCommand(conn, ['HELLO', '2']));
    return asMode(hello.mode);
  } catch (err) {
    if (!(err instanceof RedisReplyError) || !/unknown command/i.test(err.message)) throw err;
  }
  try {
    const info = parseInfo(String(await anyCommand(conn, ['INFO', 'server'])));
    return asMode(info.redis_mode);
  } catch (err) {
    // Neither HELLO nor INFO: nothing tells a Cluster node apart, so take the URL at its word.
    if (err instanceof RedisReplyError) return 'standalone';
    throw err;
  }
}

function asMode(value: unknown): ServerMode {
  return value === 'cluster' || value === 'sentinel' ? value : 'standalone';
}

function pairs(reply: Reply): Record<string, Reply> {
  const out: Record<string, Reply> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1]!;
  return out;
}

/**
 * The URL names a Sentinel: follow it to the master it monitors under the spec's master name,
 * with the URL's credentials for the sentinel. A name it does not monitor is a usage error that
 * lists the names it does.
 */
async function followSentinel(spec: ConnectionSpec, node: Endpoint, label: string, conn: Probe): Promise<DetectedSpec> {
  const name = spec.masterName!;
  const form = (n: string) => `--sentinel ${label} --master-name ${n}`;
  if (spec.nodeOnly) {
    throw new GridctlError('USAGE', `${label} is a Sentinel, not a data node: --node-only cannot read data from it`, { hint: `drop --node-only to follow it to its master, or pass ${form(name)}` });
  }
  const addr = await anyCommand(conn, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]);
  if (!Array.isArray(addr) || addr.length < 2) {
    const masters = await anyCommand(conn, ['SENTINEL', 'MASTERS']).catch(() => []);
    const names = Array.isArray(masters) ? masters.map((m) => String(pairs(m).name)).filter((n) => n !== 'undefined') : [];
    throw new GridctlError('USAGE', `${label} is a Sentinel and monitors no master named "${name}"`, {
      hint: names.length ? `it monitors: ${names.join(', ')}; pass ${form(names[0]!)}` : `pass ${form('NAME')} with the name in its sentinel.conf`,
    });
  }
  const master = `${String(addr[0])}:${String(addr[1])}`;
  const followed: ConnectionSpec = { ...spec, topology: 'sentinel', nodes: [node], sentinel: { auth: { ...spec.auth }, ...(spec.tls ? { tls: spec.tls } : {}) } };
  return { spec: followed, notes: [`${label} is a Sentinel: following its master "${name}" at ${master} (the same as ${form(name)})`] };
}
