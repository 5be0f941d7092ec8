import type { Redis } from 'ioredis';
import type { Deployment, NodeInfo } from '../redis/deployment.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { isPermissionError } from '../redis/errors.js';
import { parseInfo } from '../redis/info.js';
import { hostOf, isReplicationLink, parseClientList, portOf, type ClientEntry } from './client-list.js';
import type { ClientGroup, ClientsFinding, ClientsNode, ClientsReport, GroupDimension } from './types.js';

export const DEFAULT_POOL_SIZE = 50;

/** The CLIENT SETNAME of every gridctl connection (redis/connect.ts). */
export const GRIDCTL_CLIENT_NAME = 'gridctl';

export interface NodeClients {
  node: ClientsNode;
  clients: ClientEntry[];
}

/**
 * CLIENT LIST of every data node, without gridctl's own connections (the one asking, and the
 * deployment's main one: CLIENT ID) and without replication links, plus what the node allows (INFO clients maxclients) and its TLS port.
 */
export async function readNodeClients(dep: Deployment): Promise<{ nodes: NodeInfo[]; perNode: NodeClients[] }> {
  const nodes = (await dep.discover()).filter((n) => n.role !== 'sentinel');
  // The deployment's own connections (one per master) are gridctl's too: not counted, never killed.
  const own = new Map(await Promise.all((await dep.masterClients()).map(async (m) => [m.address, String(await m.client.call('CLIENT', 'ID'))] as const)));
  const results = await dep.forEachNode(nodes, (client, node) => readOne(client, node, dep.spec, own.get(node.address)));
  const failed = results.find((r) => r.error);
  if (failed) throw failed.error;
  return { nodes, perNode: results.map((r) => r.result!) };
}

async function readOne(client: Redis, node: NodeInfo, spec: ConnectionSpec, mainId: string | undefined): Promise<NodeClients> {
  const self = String(await client.call('CLIENT', 'ID'));
  const all = parseClientList(String(await client.call('CLIENT', 'LIST')));
  const info = parseInfo(await client.info('clients'));
  const mine = (c: ClientEntry) => c.id === self || c.id === mainId;
  const clients = all.filter((c) => !mine(c) && !isReplicationLink(c));
  return {
    node: {
      address: node.address,
      role: node.role,
      connected: clients.length,
      maxclients: info.maxclients ? Number(info.maxclients) : null,
      tlsPort: await tlsPort(client, node, spec),
      replicationLinks: all.filter((c) => !mine(c) && isReplicationLink(c)).length,
    },
    clients,
  };
}

/** The node's TLS listener: CONFIG GET tls-port, or (CONFIG refused) the port gridctl itself reached over TLS. */
async function tlsPort(client: Redis, node: NodeInfo, spec: ConnectionSpec): Promise<number | null> {
  try {
    const [, port] = (await client.call('CONFIG', 'GET', 'tls-port')) as [string, string];
    return Number(port) || null;
  } catch (err) {
    if (!isPermissionError(err)) throw err;
    return spec.tls ? node.port : null;
  }
}

/** `gridctl clients`: every node's connections grouped by the --by dimensions, against maxclients and the pool size. */
export async function summarizeClients(dep: Deployment, opts: { by: GroupDimension[]; poolSize: number; clientsPercent: number }, now = Date.now()): Promise<ClientsReport> {
  const { nodes, perNode } = await readNodeClients(dep);
  const groups = groupClients(perNode, opts.by);
  const all = perNode.flatMap((p) => p.clients.map((c) => ({ c, tls: p.node.tlsPort })));
  const tlsKnown = all.filter((x) => x.tls !== null);
  return {
    checkedAt: new Date(now).toISOString(),
    by: opts.by,
    poolSize: opts.poolSize,
    clientsPercent: opts.clientsPercent,
    nodes: perNode.map((p) => p.node),
    groups,
    totals: {
      clients: all.length,
      inFlight: all.filter((x) => inFlight(x.c)).length,
      memoryBytes: all.reduce((n, x) => n + x.c.totMem, 0),
      tlsShare: tlsKnown.length ? tlsKnown.filter((x) => portOf(x.c.laddr) === x.tls).length / tlsKnown.length : null,
    },
    findings: clientFindings(perNode, opts),
    coverage: await dep.coverage(nodes.filter((n) => n.role === 'master').map((n) => n.address)),
  };
}

function dimension(c: ClientEntry, d: GroupDimension): string {
  if (d === 'user') return c.user;
  if (d === 'name') return c.name || '(no name)';
  if (d === 'lib') return c.libName ? `${c.libName}${c.libVer ? `/${c.libVer}` : ''}` : '(unknown)';
  return hostOf(c.addr);
}

function inFlight(c: ClientEntry): boolean {
  return c.flags.includes('b') || c.qbuf > 0 || Number(c.raw.multi ?? -1) >= 0;
}

function groupClients(perNode: NodeClients[], by: GroupDimension[]): ClientGroup[] {
  const groups = new Map<string, { key: ClientGroup['key']; entries: Array<{ c: ClientEntry; tls: number | null; node: string }> }>();
  for (const p of perNode) {
    for (const c of p.clients) {
      const key = Object.fromEntries(by.map((d) => [d, dimension(c, d)])) as ClientGroup['key'];
      const id = JSON.stringify(key);
      const g = groups.get(id) ?? { key, entries: [] };
      g.entries.push({ c, tls: p.node.tlsPort, node: p.node.address });
      groups.set(id, g);
    }
  }
  return [...groups.values()]
    .map(({ key, entries }) => {
      const idles = entries.map((e) => e.c.idle).sort((a, b) => a - b);
      const tlsKnown = entries.filter((e) => e.tls !== null);
      return {
        key,
        count: entries.length,
        idle: { p50: percentile(idles, 0.5), p99: percentile(idles, 0.99), max: idles[idles.length - 1] ?? 0 },
        inFlight: entries.filter((e) => inFlight(e.c)).length,
        memoryBytes: entries.reduce((n, e) => n + e.c.totMem, 0),
        tlsShare: tlsKnown.length ? tlsKnown.filter((e) => portOf(e.c.laddr) === e.tls).length / tlsKnown.length : null,
        activeShare: entries.filter((e) => e.c.idle < 1).length / entries.length,
        nodes: [...new Set(entries.map((e) => e.node))],
      };
    })
    .sort((a, b) => b.count - a.count || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A node near maxclients; an app instance (client name on one host) holding more connections than its pool allows. */
function clientFindings(perNode: NodeClients[], opts: { poolSize: number; clientsPercent: number }): ClientsFinding[] {
  const out: ClientsFinding[] = [];
  for (const p of perNode) {
    const max = p.node.maxclients;
    if (max && p.node.connected >= (max * opts.clientsPercent) / 100) out.push({ id: 'maxclients', message: `${p.node.address}: ${p.node.connected} of maxclients ${max} connections (>= ${opts.clientsPercent}%)` });
  }
  const instances = new Map<string, number>();
  // A pool is per app instance and per node it connects to (a Cluster client pools each node).
  for (const p of perNode) {
    for (const c of p.clients) {
      if (c.name === GRIDCTL_CLIENT_NAME) continue;
      const key = `${c.name || '(no name)'} from ${hostOf(c.addr)} to ${p.node.address}`;
      instances.set(key, (instances.get(key) ?? 0) + 1);
    }
  }
  for (const [instance, n] of instances) {
    if (n > opts.poolSize) out.push({ id: 'pool-size', message: `${instance}: ${n} connections > pool size ${opts.poolSize} (a leaking pool, or clients.poolSize in gridctl.yaml too low)` });
  }
  return out;
}
