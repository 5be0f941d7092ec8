import type { Redis } from 'ioredis';
import { GridctlError } from '../errors.js';
import { connectNode, endpointLabel, type Endpoint } from '../redis/connect.js';
import { parseClusterNodes, type Deployment, type NodeInfo } from '../redis/deployment.js';
import { parseInfo } from '../redis/info.js';
import { keySlot } from '../restore/crc16-slot.js';
import type { ConnectionSpec } from '../redis/spec.js';

export type FailoverMethod = 'SENTINEL FAILOVER' | 'CLUSTER FAILOVER' | 'SIGKILL';

/** What the drill will fail over, how, and through which node. */
export interface FailoverPlan {
  topology: 'sentinel' | 'cluster';
  method: FailoverMethod;
  /** The master that holds the drill's keys (Cluster: the owner of their slot). */
  master: string;
  /** The replicas of that master. */
  replicas: string[];
  /** Cluster: the replica CLUSTER FAILOVER is sent to; Sentinel: the sentinels choose. */
  promote?: string;
  /** Where the command goes (a sentinel, or the replica); for SIGKILL the master itself. */
  via: string;
  slot?: number;
  /** The data nodes and sentinels as discovered before the drill. */
  nodes: NodeInfo[];
}

const healthy = (n: NodeInfo) => !(n.flags ?? []).some((f) => /fail|down|disconnected/.test(f));

/** Find the master the drill's keys live on and a replica to take over; a standalone deployment is a usage error. */
export async function planFailover(dep: Deployment, keyPrefix: string, kill: boolean): Promise<FailoverPlan> {
  const topology = dep.spec.topology;
  if (topology === 'standalone') {
    throw new GridctlError('USAGE', 'a failover drill needs a Sentinel or Cluster deployment; this one is standalone', { hint: 'point --target / --url / --sentinel at a Sentinel or Cluster deployment, or start one with `gridctl up --topology sentinel`' });
  }
  const nodes = await dep.discover();
  const slot = topology === 'cluster' ? keySlot(keyPrefix) : undefined;
  const master = nodes.find((n) => n.role === 'master' && (slot === undefined || (n.slots ?? []).some(([a, b]) => slot >= a && slot <= b)));
  if (!master) throw new GridctlError('OPERATION_FAILED', slot === undefined ? 'the sentinels name no master' : `no master serves slot ${slot}`, { hint: 'check with `gridctl health`' });
  const replicas = nodes.filter((n) => n.role === 'replica' && n.masterAddress === master.address && healthy(n));
  if (!replicas.length) throw new GridctlError('OPERATION_FAILED', `master ${master.address} has no healthy replica to fail over to`, { hint: 'check with `gridctl health`: a failover now would lose the master' });
  const method: FailoverMethod = kill ? 'SIGKILL' : topology === 'sentinel' ? 'SENTINEL FAILOVER' : 'CLUSTER FAILOVER';
  const promote = topology === 'cluster' ? replicas[0]!.address : undefined;
  const via = kill ? master.address : topology === 'sentinel' ? endpointLabel(dep.spec.nodes[0]!) : promote!;
  return { topology, method, master: master.address, replicas: replicas.map((r) => r.address), ...(promote ? { promote } : {}), via, ...(slot !== undefined ? { slot } : {}), nodes };
}

/** Send the coordinated failover command (SIGKILL is the caller's: it needs the local deployment). */
export async function sendFailover(spec: ConnectionSpec, plan: FailoverPlan, promote: string | undefined): Promise<void> {
  if (plan.topology === 'sentinel') {
    await withNode(spec, spec.nodes[0]!, true, (s) => s.call('SENTINEL', 'FAILOVER', spec.masterName!));
    return;
  }
  // The replica that takes over: the planned one, or (failing back) the old master, now a replica.
  await withNode(spec, parseEndpoint(promote ?? plan.promote!), false, (r) => r.call('CLUSTER', 'FAILOVER'));
}

/**
 * Sentinel: stop the old master from acknowledging writes before SENTINEL FAILOVER. Sentinel
 * promotes a replica without pausing the old master and demotes it only some seconds later: writes
 * it acknowledged meanwhile (a replica still follows it) would be lost. Paused until demoteOldMaster.
 */
export async function pauseWrites(spec: ConnectionSpec, master: string, ms: number): Promise<void> {
  await withNode(spec, parseEndpoint(master), false, (c) => c.call('CLIENT', 'PAUSE', String(ms), 'WRITE'));
}

/** Make the old master a replica of the new one (what Sentinel does later by itself), then lift the pause. */
export async function demoteOldMaster(spec: ConnectionSpec, old: string, master: string): Promise<void> {
  const to = parseEndpoint(master);
  await withNode(spec, parseEndpoint(old), false, async (c) => {
    await c.call('REPLICAOF', to.host, String(to.port));
    await c.call('CLIENT', 'UNPAUSE');
  });
}

/** Poll until a master other than `old` serves the drill's keys; its address, or undefined at the deadline. */
export async function waitForNewMaster(spec: ConnectionSpec, plan: FailoverPlan, old: string, deadline: number): Promise<string | undefined> {
  while (Date.now() < deadline) {
    const current = await currentMaster(spec, plan, old).catch(() => undefined);
    if (current && current !== old) return current;
    await sleep(50);
  }
  return undefined;
}

/**
 * The master now serving the drill's keys, as the authority (sentinels / the cluster) says, confirmed
 * by ROLE. `old`, when given, is not asked (a Cluster's killed master) and is answered as it is.
 */
async function currentMaster(spec: ConnectionSpec, plan: FailoverPlan, old?: string): Promise<string | undefined> {
  let candidate: string | undefined;
  if (plan.topology === 'sentinel') {
    const addr = (await withNode(spec, spec.nodes[0]!, true, (s) => s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', spec.masterName!))) as [string, string] | null;
    candidate = addr ? endpointLabel({ host: addr[0], port: Number(addr[1]) }) : undefined;
  } else {
    const asker = plan.nodes.find((n) => n.role !== 'sentinel' && n.address !== old)!;
    const text = (await withNode(spec, asker, false, (c) => c.call('CLUSTER', 'NODES'))) as string;
    candidate = parseClusterNodes(text).find((n) => n.role === 'master' && !(n.flags ?? []).includes('fail') && (n.slots ?? []).some(([a, b]) => plan.slot! >= a && plan.slot! <= b))?.address;
  }
  if (!candidate || candidate === old) return candidate;
  const role = (await withNode(spec, parseEndpoint(candidate), false, (c) => c.call('ROLE'))) as unknown[];
  return role[0] === 'master' ? candidate : undefined;
}

/** The deployment after a failover, and the master it has then (not the drill's new one if it failed over again). */
export interface HealthAfter {
  healthy: boolean;
  detail: string;
  master: string;
}

/**
 * After the failover: the sentinels all name one master (Sentinel), every node says cluster_state:ok
 * (Cluster), and that master has as many replicas online as there were (the old master rejoined as
 * one). Polled until the deadline. The master is asked for each time: a new master that stalls
 * longer than down-after-milliseconds (cluster-node-timeout) is failed over again by the deployment.
 */
export async function waitHealthy(spec: ConnectionSpec, plan: FailoverPlan, master: string, deadline: number): Promise<HealthAfter> {
  let detail = 'not checked';
  let current = master;
  while (Date.now() < deadline) {
    current = (await currentMaster(spec, plan).catch(() => undefined)) ?? current;
    detail = await healthProblem(spec, plan, current).catch((err: Error) => err.message);
    if (!detail) return { healthy: true, master: current, detail: `${current} is the master with ${plan.replicas.length} replica(s) online${plan.topology === 'cluster' ? ', cluster_state ok on every node' : ', every sentinel agrees'}` };
    await sleep(100);
  }
  return { healthy: false, master: current, detail };
}

async function healthProblem(spec: ConnectionSpec, plan: FailoverPlan, master: string): Promise<string> {
  const info = parseInfo((await withNode(spec, parseEndpoint(master), false, (c) => c.info('replication'))) as string);
  const online = Object.entries(info).filter(([k, v]) => /^slave\d+$/.test(k) && v.includes('state=online')).length;
  if (online < plan.replicas.length) return `${master} has ${online} replica(s) online, ${plan.replicas.length} expected`;
  for (const n of plan.nodes) {
    if (plan.topology === 'sentinel' && n.role === 'sentinel') {
      const addr = (await withNode(spec, n, true, (s) => s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', spec.masterName!))) as [string, string] | null;
      const named = addr ? endpointLabel({ host: addr[0], port: Number(addr[1]) }) : 'none';
      if (named !== master) return `sentinel ${n.address} names ${named} as the master`;
    }
    if (plan.topology === 'cluster') {
      const problem = await withNode(spec, n, false, (c) => clusterViewProblem(c, plan, master));
      if (problem) return `${n.address}: ${problem}`;
    }
  }
  return '';
}

/** One node's view of the Cluster: state ok, and as many masters as before, the new one among them (gossip has spread). */
async function clusterViewProblem(c: Redis, plan: FailoverPlan, master: string): Promise<string> {
  const state = parseInfo((await c.call('CLUSTER', 'INFO')) as string).cluster_state;
  if (state !== 'ok') return `cluster_state ${state}`;
  const view = parseClusterNodes((await c.call('CLUSTER', 'NODES')) as string);
  const masters = view.filter((n) => n.role === 'master').map((n) => n.address);
  const expected = plan.nodes.filter((n) => n.role === 'master').length;
  if (masters.length !== expected || !masters.includes(master)) return `sees masters ${masters.join(', ')} (${expected} expected, ${master} among them)`;
  return '';
}

async function withNode<T>(spec: ConnectionSpec, node: Endpoint, sentinel: boolean, fn: (c: Redis) => Promise<T>): Promise<T> {
  const client = await connectNode(spec, node, { sentinel });
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

export function parseEndpoint(address: string): Endpoint {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(address.slice(i + 1)) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
