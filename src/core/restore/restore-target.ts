import type { Redis } from 'ioredis';
import { GridctlError } from '../errors.js';
import { connectNode, errorContext } from '../redis/connect.js';
import { classifyRedisError } from '../redis/errors.js';
import { parseInfo } from '../redis/info.js';
import type { Deployment } from '../redis/deployment.js';
import { keySlot } from './crc16-slot.js';
import { identityFromInfo, type ServerIdentity } from '../compat/server-identity.js';

export interface TargetNode {
  address: string;
  client: Redis;
  /** Engine and version (Valkey's own, not its redis_version), and the RDB version it reads: the restore pre-flight's input. */
  identity: ServerIdentity;
}

/**
 * Where restored keys go: every master of the target with its own connection, and (Cluster) a
 * slot -> node table from CLUSTER NODES, so each key is written straight to its owner over a
 * per-node pipeline instead of bouncing through MOVED redirects.
 */
export class RestoreTarget {
  private constructor(
    readonly nodes: TargetNode[],
    private readonly slotOwner: Int16Array | undefined,
    readonly topology: string,
  ) {}

  static async open(dep: Deployment): Promise<RestoreTarget> {
    const all = await dep.discover();
    const masters = all.filter((n) => n.role === 'master');
    if (masters.length === 0) throw new GridctlError('OPERATION_FAILED', 'the target has no master to restore into (is the URL a replica?)');
    const nodes: TargetNode[] = [];
    let slotOwner: Int16Array | undefined;
    try {
      for (const m of masters) {
        const client = await connectNode(dep.spec, m);
        nodes.push({ address: m.address, client, identity: { engine: 'redis', version: '' } });
      }
      for (const n of nodes) {
        try {
          n.identity = identityFromInfo(parseInfo(await n.client.info('server')));
        } catch (err) {
          throw classifyRedisError(err, errorContext(dep.spec, n.address));
        }
      }
      if (dep.isCluster) {
        slotOwner = new Int16Array(16384).fill(-1);
        masters.forEach((m, i) => {
          for (const [a, b] of m.slots ?? []) for (let s = a; s <= b; s++) slotOwner![s] = i;
        });
        const missing = slotOwner.indexOf(-1);
        if (missing >= 0) throw new GridctlError('OPERATION_FAILED', `the target cluster does not cover slot ${missing}`, { hint: 'fix the cluster (redis-cli --cluster check) before restoring' });
      }
    } catch (err) {
      for (const n of nodes) n.client.disconnect();
      throw err;
    }
    return new RestoreTarget(nodes, slotOwner, dep.spec.topology);
  }

  /** Index into `nodes` of the master that owns this key. */
  nodeIndexFor(key: Buffer): number {
    return this.slotOwner ? this.slotOwner[keySlot(key)]! : 0;
  }

  get isCluster(): boolean {
    return this.slotOwner !== undefined;
  }

  async keyCount(): Promise<number> {
    const counts = await Promise.all(this.nodes.map((n) => n.client.dbsize()));
    return counts.reduce((a, b) => a + b, 0);
  }

  close(): void {
    for (const n of this.nodes) n.client.disconnect();
  }
}
