import type { Redis } from 'ioredis';
import { connectNode } from '../redis/connect.js';
import type { Deployment, NodeRole } from '../redis/deployment.js';
import { endpointLabel } from '../redis/endpoint.js';

export interface KnownNode {
  address: string;
  host: string;
  port: number;
  role: NodeRole;
}

export interface OpenNode extends KnownNode {
  client: Redis;
}

export interface UnreachableNode extends KnownNode {
  error: string;
}

/**
 * Every node of the deployment, connected (what a rotation must change, what acl diff and the
 * security report read): what discovery finds now (data nodes and
 * sentinels), the Cluster nodes it leaves out as failed, and every node an earlier phase saw (a
 * node down now is unreachable, not absent). Nothing is changed unless all of them answer.
 */
export async function openEveryNode(dep: Deployment, earlier: readonly KnownNode[]): Promise<{ open: OpenNode[]; unreachable: UnreachableNode[] }> {
  const wanted = new Map<string, KnownNode>();
  // During a failover Sentinel may list the promoted node twice (master, and replica "promoted"): first wins.
  for (const n of await dep.discover()) if (!wanted.has(n.address)) wanted.set(n.address, { address: n.address, host: n.host, port: n.port, role: n.role });
  for (const n of dep.excluded) {
    if (!wanted.has(n.address)) wanted.set(n.address, { ...hostPort(n.address), address: n.address, role: n.role });
  }
  for (const n of earlier) if (!wanted.has(n.address)) wanted.set(n.address, n);
  const first = await connectAll(dep, [...wanted.values()]);
  // Mid-failover the Sentinels disagree (the leader may not list the old master yet, the others
  // still do): a data node any of them knows of is one to change.
  const more = dep.spec.topology === 'sentinel' ? await dataNodesSentinelsKnow(first.open, dep.spec.masterName ?? '') : [];
  const second = await connectAll(dep, more.filter((n) => !wanted.has(n.address)));
  return { open: [...first.open, ...second.open], unreachable: [...first.unreachable, ...second.unreachable] };
}

async function connectAll(dep: Deployment, nodes: KnownNode[]): Promise<{ open: OpenNode[]; unreachable: UnreachableNode[] }> {
  const results = await Promise.all(
    nodes.map(async (node) => {
      try {
        const client = await connectNode(dep.spec, node, { sentinel: node.role === 'sentinel' });
        return { node: node.role === 'sentinel' ? node : { ...node, role: await liveRole(client, node.role) }, client };
      } catch (err) {
        return { node, error: (err as Error).message };
      }
    }),
  );
  const open: OpenNode[] = [];
  const unreachable: UnreachableNode[] = [];
  for (const r of results) {
    if (r.client) open.push({ ...r.node, client: r.client });
    else unreachable.push({ ...r.node, error: r.error ?? 'unreachable' });
  }
  return { open, unreachable };
}

/** The master and replicas each connected Sentinel reports, deduplicated. */
async function dataNodesSentinelsKnow(open: readonly OpenNode[], masterName: string): Promise<KnownNode[]> {
  const found = new Map<string, KnownNode>();
  const add = (host: string, port: number, role: NodeRole) => {
    const address = endpointLabel({ host, port });
    if (!found.has(address)) found.set(address, { address, host, port, role });
  };
  for (const s of open.filter((n) => n.role === 'sentinel')) {
    const master = (await s.client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName).catch(() => null)) as string[] | null;
    if (master) add(master[0]!, Number(master[1]), 'master');
    const replicas = (await s.client.call('SENTINEL', 'REPLICAS', masterName).catch(() => [])) as string[][];
    for (const r of replicas) add(r[r.indexOf('ip') + 1]!, Number(r[r.indexOf('port') + 1]), 'replica');
  }
  return [...found.values()];
}

export function closeNodes(nodes: readonly OpenNode[]): void {
  for (const n of nodes) n.client.disconnect();
}

/** What a data node is now (discovery or an earlier phase may predate a failover). */
async function liveRole(client: Redis, fallback: NodeRole): Promise<NodeRole> {
  const reply = (await client.call('ROLE').catch(() => undefined)) as unknown[] | undefined;
  return reply?.[0] === 'master' ? 'master' : reply?.[0] === 'slave' ? 'replica' : fallback;
}

function hostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}
