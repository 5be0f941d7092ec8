import type { Redis } from 'ioredis';
import { GridctlError } from '../errors.js';
import { connectNode } from '../redis/connect.js';
import { specFromLocalState } from '../redis/resolve.js';
import { parseInfo } from '../redis/info.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { sleep } from './process.js';
import type { LocalNode, LocalState } from './state.js';

const CLUSTER_SLOTS = 16384;

async function localSpec(state: LocalState): Promise<ConnectionSpec> {
  return specFromLocalState(state, { timeoutMs: 2000 });
}

/** Retry `probe` until it returns true or the deadline passes; the last reason goes in the error. */
async function waitFor(what: string, deadline: number, probe: () => Promise<true | string>): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const r = await probe();
      if (r === true) return;
      last = r;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new GridctlError('CONNECTION_TIMEOUT', `local deployment not ready: ${what}: ${last}`, {
    hint: 'see the node logs in the run directory',
  });
}

async function withNode<T>(spec: ConnectionSpec, node: LocalNode, fn: (c: Redis) => Promise<T>): Promise<T> {
  const client = await connectNode(spec, node, { sentinel: node.role === 'sentinel' });
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/** Assign slots evenly to the masters, MEET every node, then attach each replica to its master. */
export async function createCluster(state: LocalState, deadline: number): Promise<void> {
  const spec = await localSpec(state);
  const masters = state.nodes.filter((n) => n.role === 'master');
  const replicas = state.nodes.filter((n) => n.role === 'replica');
  const clients = new Map<string, Redis>();
  try {
    for (const n of state.nodes) clients.set(n.name, await connectNode(spec, n));
    const ids = new Map<string, string>();
    for (const n of state.nodes) ids.set(n.name, (await clients.get(n.name)!.call('CLUSTER', 'MYID')) as string);
    const per = Math.floor(CLUSTER_SLOTS / masters.length);
    for (let i = 0; i < masters.length; i++) {
      const start = i * per;
      const end = i === masters.length - 1 ? CLUSTER_SLOTS - 1 : start + per - 1;
      await clients.get(masters[i]!.name)!.call('CLUSTER', 'ADDSLOTSRANGE', start, end);
    }
    const first = clients.get(state.nodes[0]!.name)!;
    for (const n of state.nodes.slice(1)) await first.call('CLUSTER', 'MEET', n.host, n.port, n.busPort!);
    await waitFor('all nodes to meet', deadline, async () => {
      for (const n of state.nodes) {
        const text = (await clients.get(n.name)!.call('CLUSTER', 'NODES')) as string;
        const lines = text.trim().split('\n');
        if (lines.length < state.nodes.length || /handshake|noaddr/.test(text)) return `${n.name} knows ${lines.length}/${state.nodes.length} nodes`;
      }
      return true;
    });
    for (let i = 0; i < replicas.length; i++) {
      const master = masters[i % masters.length]!;
      await clients.get(replicas[i]!.name)!.call('CLUSTER', 'REPLICATE', ids.get(master.name)!);
    }
  } finally {
    for (const c of clients.values()) c.disconnect();
  }
}

/**
 * Ready means usable, not merely started: every node answers PING; replicas have their link up;
 * masters that need good replicas to accept writes count them all;
 * every sentinel reports the same master and sees the other sentinels and the replicas;
 * every cluster node reports cluster_state:ok and knows every node.
 */
export async function waitUntilReady(state: LocalState, deadline: number): Promise<void> {
  const spec = await localSpec(state);
  const data = state.nodes.filter((n) => n.role !== 'sentinel');
  const sentinels = state.nodes.filter((n) => n.role === 'sentinel');
  const replicas = data.filter((n) => n.role === 'replica');
  const masters = data.filter((n) => n.role === 'master');

  for (const n of data) {
    await waitFor(`${n.name} PING`, deadline, () => withNode(spec, n, async (c) => ((await c.ping()) === 'PONG' ? true : 'no PONG')));
  }
  for (const n of replicas) {
    await waitFor(`${n.name} replication link`, deadline, () =>
      withNode(spec, n, async (c) => {
        const info = parseInfo(await c.info('replication'));
        return info.master_link_status === 'up' ? true : `master_link_status:${info.master_link_status ?? 'none'}`;
      }),
    );
  }
  // A master with min-replicas-to-write refuses writes (NOREPLICAS) until its replicas' first
  // REPLCONF ACKs have been counted, up to a second after their links are up: ready is when it
  // counts every connected replica as good.
  for (const n of masters) {
    await waitFor(`${n.name} accepting writes`, deadline, () =>
      withNode(spec, n, async (c) => {
        const info = parseInfo(await c.info('replication'));
        if (info.min_slaves_good_slaves === undefined) return true;
        const good = Number(info.min_slaves_good_slaves);
        const connected = Number(info.connected_slaves ?? 0);
        return good >= connected ? true : `min_slaves_good_slaves:${good} of ${connected} connected replicas`;
      }),
    );
  }
  if (state.topology === 'cluster') {
    for (const n of data) {
      await waitFor(`${n.name} cluster_state`, deadline, () =>
        withNode(spec, n, async (c) => {
          const info = parseInfo((await c.call('CLUSTER', 'INFO')) as string);
          if (info.cluster_state !== 'ok') return `cluster_state:${info.cluster_state}`;
          if (Number(info.cluster_known_nodes) !== data.length) return `cluster_known_nodes:${info.cluster_known_nodes}`;
          return true;
        }),
      );
    }
  }
  if (sentinels.length) {
    const master = masters[0]!;
    for (const n of sentinels) {
      await waitFor(`${n.name} agreement on the master`, deadline, () =>
        withNode(spec, n, async (c) => {
          const flat = (await c.call('SENTINEL', 'MASTER', state.masterName!)) as string[];
          const m: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) m[flat[i]!] = flat[i + 1]!;
          if (`${m.ip}:${m.port}` !== `${master.host}:${master.port}`) return `sees master ${m.ip}:${m.port}`;
          if (m.flags !== 'master') return `master flags ${m.flags}`;
          if (Number(m['num-slaves']) < replicas.length) return `sees ${m['num-slaves']}/${replicas.length} replicas`;
          if (Number(m['num-other-sentinels']) < sentinels.length - 1) return `sees ${m['num-other-sentinels']}/${sentinels.length - 1} other sentinels`;
          return true;
        }),
      );
    }
  }
}
