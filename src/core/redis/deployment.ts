import type { Redis, Cluster } from 'ioredis';
import { classifyRedisError } from './errors.js';
import { connectMain, connectNode, endpointLabel, errorContext, type AnyRedis, type Endpoint } from './connect.js';
import type { ConnectionSpec } from './spec.js';
import { parseInfo } from './info.js';
import { clusterCoverage, countSlots, nodeOnlyCoverage, singleNodeCoverage, type Coverage, type ExcludedNode } from './coverage.js';

export type NodeRole = 'master' | 'replica' | 'sentinel';

export interface NodeInfo extends Endpoint {
  address: string;
  role: NodeRole;
  /** For replicas: the master they follow (host:port). */
  masterAddress?: string;
  /** Cluster node id. */
  id?: string;
  /** Cluster flags (fail, pfail, handshake, noaddr, ...). */
  flags?: string[];
  /** Cluster slot ranges served by a master. */
  slots?: Array<[number, number]>;
  /** Cluster: the node CLUSTER NODES was read on. */
  self?: boolean;
}

/**
 * One live deployment: the main client plus discovery of every node behind it (standalone with
 * its replicas, Sentinel's master/replicas/sentinels, every Cluster node), and helpers to run a
 * function on every master or every node. Commands open one of these and close it when done.
 */
export class Deployment {
  /** Cluster nodes the last discovery left out (failed, owning no slots). */
  private excludedNodes: ExcludedNode[] = [];
  private lastDiscovery: NodeInfo[] | undefined;

  private constructor(
    readonly spec: ConnectionSpec,
    readonly client: AnyRedis,
  ) {}

  static async open(spec: ConnectionSpec): Promise<Deployment> {
    return new Deployment(spec, await connectMain(spec));
  }

  get isCluster(): boolean {
    return this.spec.topology === 'cluster';
  }

  /**
   * Every live node: data nodes first (masters then replicas), then sentinels. A Cluster node in
   * `fail` state that owns no slots (a master replaced by a failover, a dead replica) is left
   * out, so a run that does not need it does not fail on it; `excluded` lists it.
   */
  async discover(): Promise<NodeInfo[]> {
    try {
      const nodes =
        this.spec.topology === 'cluster' ? await this.discoverCluster() : this.spec.topology === 'sentinel' ? await this.discoverSentinel() : await this.discoverStandalone();
      this.lastDiscovery = nodes;
      return nodes;
    } catch (err) {
      throw classifyRedisError(err, errorContext(this.spec, this.spec.source));
    }
  }

  /** Nodes the last discovery left out (failed Cluster nodes owning no slots). */
  get excluded(): ExcludedNode[] {
    return this.excludedNodes;
  }

  /**
   * What the deployment's data is and which nodes hold it, for reports: `covered` are the masters
   * a command read (default every master). Standalone and Sentinel need no round trip; a Cluster
   * uses the last discovery (or discovers); --node-only on a Cluster node reads CLUSTER NODES there.
   */
  async coverage(covered?: readonly string[]): Promise<Coverage> {
    if (this.spec.topology === 'cluster') {
      const masters = await this.clusterMasters();
      return clusterCoverage(masters, covered ?? masters.map((m) => m.address), this.excludedNodes);
    }
    const address = covered?.[0] ?? connectedAddress(this.client as Redis, this.spec);
    if (this.spec.partOf !== 'cluster') return singleNodeCoverage(this.spec.topology === 'sentinel' ? 'sentinel' : 'standalone', address);
    try {
      const nodes = parseClusterNodes(String(await (this.client as Redis).call('CLUSTER', 'NODES')));
      const self = nodes.find((n) => n.self);
      const owner = self?.role === 'replica' ? nodes.find((n) => n.address === self.masterAddress) : self;
      return nodeOnlyCoverage(address, countSlots(owner?.slots ?? []));
    } catch {
      // No +cluster|nodes: the report is still marked partial, without the slot count.
      return nodeOnlyCoverage(address);
    }
  }

  private async discoverStandalone(): Promise<NodeInfo[]> {
    const node = this.spec.nodes[0]!;
    const info = parseInfo(await (this.client as Redis).info('replication'));
    const role: NodeRole = info.role === 'slave' ? 'replica' : 'master';
    const self: NodeInfo = { ...node, address: endpointLabel(node), role };
    if (role === 'replica') {
      self.masterAddress = `${info.master_host}:${info.master_port}`;
      return [self];
    }
    return [self, ...replicasFromInfo(info, self.address)];
  }

  private async discoverSentinel(): Promise<NodeInfo[]> {
    const name = this.spec.masterName!;
    const sentinel = await this.firstSentinel();
    try {
      const addr = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string] | null;
      const nodes: NodeInfo[] = [];
      if (addr) {
        const master = { host: addr[0], port: Number(addr[1]) };
        nodes.push({ ...master, address: endpointLabel(master), role: 'master' });
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', name)) as string[][];
        for (const r of replicas.map(pairsToObject)) {
          const ep = { host: r.ip!, port: Number(r.port) };
          nodes.push({ ...ep, address: endpointLabel(ep), role: 'replica', masterAddress: endpointLabel(master), flags: (r.flags ?? '').split(',') });
        }
      }
      const seen = new Map<string, Endpoint>();
      for (const s of this.spec.nodes) seen.set(endpointLabel(s), s);
      const others = (await sentinel.call('SENTINEL', 'SENTINELS', name)) as string[][];
      for (const s of others.map(pairsToObject)) {
        const ep = { host: s.ip!, port: Number(s.port) };
        seen.set(endpointLabel(ep), ep);
      }
      for (const [address, ep] of seen) nodes.push({ ...ep, address, role: 'sentinel' });
      return nodes;
    } finally {
      sentinel.disconnect();
    }
  }

  /** A connection to the first sentinel that answers. */
  async firstSentinel(): Promise<Redis> {
    let lastErr: unknown;
    for (const s of this.spec.nodes) {
      try {
        return await connectNode(this.spec, s, { sentinel: true });
      } catch (err) {
        lastErr = err;
      }
    }
    throw lastErr;
  }

  /**
   * The Cluster's masters with their slots: from the last discovery, or CLUSTER NODES now, or (a
   * user without +cluster|nodes) ioredis' own slot table, which CLUSTER SLOTS filled.
   */
  private async clusterMasters(): Promise<Array<{ address: string; slots?: Array<[number, number]> }>> {
    try {
      return (this.lastDiscovery ?? (await this.discover())).filter((n) => n.role === 'master');
    } catch {
      const table = (this.client as Cluster).slots;
      const ranges = new Map<string, Array<[number, number]>>();
      table.forEach((owners, slot) => {
        const master = owners?.[0];
        if (master) ranges.set(master, [...(ranges.get(master) ?? []), [slot, slot]]);
      });
      return [...ranges].map(([address, slots]) => ({ address, slots }));
    }
  }

  private async discoverCluster(): Promise<NodeInfo[]> {
    const text = (await (this.client as Cluster).call('CLUSTER', 'NODES')) as string;
    const { live, failed } = splitFailedNodes(parseClusterNodes(text));
    this.excludedNodes = failed.map((n) => ({ address: n.address, role: n.role === 'master' ? 'master' : 'replica', flags: n.flags ?? [] }));
    return live;
  }

  /** Connected clients for every master (Cluster: every master node; otherwise the one master). */
  async masterClients(): Promise<Array<{ address: string; client: Redis; owned: boolean }>> {
    if (this.spec.topology === 'cluster') {
      const cluster = this.client as Cluster;
      return cluster.nodes('master').map((client) => ({
        address: endpointLabel({ host: client.options.host ?? '', port: client.options.port ?? 0 }),
        client,
        owned: false,
      }));
    }
    const client = this.client as Redis;
    return [{ address: connectedAddress(client, this.spec), client, owned: false }];
  }

  /** Run fn on every master in parallel, with a connection owned by the deployment. */
  async forEachMaster<T>(fn: (client: Redis, address: string) => Promise<T>): Promise<Array<{ address: string; result: T }>> {
    const masters = await this.masterClients();
    return Promise.all(masters.map(async (m) => ({ address: m.address, result: await fn(m.client, m.address) })));
  }

  /**
   * Run fn on every node (each over its own short-lived connection). A node that cannot be
   * reached yields its error instead of failing the whole run: health needs to report it.
   */
  async forEachNode<T>(
    nodes: NodeInfo[],
    fn: (client: Redis, node: NodeInfo) => Promise<T>,
  ): Promise<Array<{ node: NodeInfo; result?: T; error?: Error }>> {
    return Promise.all(
      nodes.map(async (node) => {
        let client: Redis | undefined;
        try {
          client = await connectNode(this.spec, node, { sentinel: node.role === 'sentinel' });
          return { node, result: await fn(client, node) };
        } catch (err) {
          return { node, error: classifyRedisError(err, errorContext(this.spec, node.address, node.role === 'sentinel')) };
        } finally {
          client?.disconnect();
        }
      }),
    );
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

/**
 * The address a client is connected to: through Sentinel, ioredis' options keep no master
 * address, so read it from the socket.
 */
function connectedAddress(client: Redis, spec: ConnectionSpec): string {
  const stream = (client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } }).stream;
  if (spec.topology === 'sentinel' && stream?.remoteAddress && stream.remotePort) return endpointLabel({ host: stream.remoteAddress.replace(/^::ffff:/, ''), port: stream.remotePort });
  return endpointLabel({ host: client.options.host ?? '', port: client.options.port ?? 0 });
}

/** Failed Cluster nodes that own no slots: listed by CLUSTER NODES until restarted or forgotten. */
function splitFailedNodes(nodes: NodeInfo[]): { live: NodeInfo[]; failed: NodeInfo[] } {
  const isFailed = (n: NodeInfo) => (n.flags ?? []).some((f) => f === 'fail' || f === 'noaddr' || f === 'handshake') && !(n.slots?.length);
  return { live: nodes.filter((n) => !isFailed(n)), failed: nodes.filter(isFailed) };
}

function pairsToObject(flat: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) o[flat[i]!] = flat[i + 1]!;
  return o;
}

/** Replicas listed by a master's INFO replication (slaveN:ip=..,port=..,state=..). */
function replicasFromInfo(info: Record<string, string>, masterAddress: string): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (!/^slave\d+$/.test(k)) continue;
    const fields = Object.fromEntries(v.split(',').map((kv) => kv.split('=') as [string, string]));
    const ep = { host: fields.ip!, port: Number(fields.port) };
    out.push({ ...ep, address: endpointLabel(ep), role: 'replica', masterAddress });
  }
  return out;
}

/** Parse CLUSTER NODES output into NodeInfo (masters first). */
export function parseClusterNodes(text: string): NodeInfo[] {
  const byId = new Map<string, NodeInfo>();
  const rows = text.trim().split('\n').filter(Boolean);
  const parsed = rows.map((line) => {
    const [id, addr, flags, masterId, , , , , ...slots] = line.split(' ');
    const hostPort = addr!.split('@')[0]!.split(',')[0]!;
    const idx = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, idx);
    const port = Number(hostPort.slice(idx + 1));
    const flagList = flags!.split(',');
    const node: NodeInfo = {
      host,
      port,
      address: endpointLabel({ host, port }),
      role: flagList.includes('master') ? 'master' : 'replica',
      id: id!,
      flags: flagList.filter((f) => f !== 'myself' && f !== 'master' && f !== 'slave'),
      ...(flagList.includes('myself') ? { self: true } : {}),
      slots: slots
        .filter((s) => !s.startsWith('['))
        .map((s) => {
          const [a, b] = s.split('-');
          return [Number(a), Number(b ?? a)] as [number, number];
        }),
    };
    byId.set(id!, node);
    return { node, masterId: masterId! };
  });
  for (const { node, masterId } of parsed) {
    if (node.role === 'replica' && masterId !== '-') node.masterAddress = byId.get(masterId)?.address ?? masterId;
  }
  return parsed.map((p) => p.node).sort((a, b) => (a.role === b.role ? a.port - b.port : a.role === 'master' ? -1 : 1));
}
