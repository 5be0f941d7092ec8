import type { Cluster, Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import { keySlot } from '../restore/crc16-slot.js';

/**
 * The master holding a key, with a connection to it: a stream lives on one shard, and its XINFO,
 * XPENDING and repair commands are sent there directly (ioredis' Cluster routing does not know
 * the key of every subcommand, XINFO's among them).
 */
export async function masterForKey(dep: Deployment, key: string): Promise<{ client: Redis; address: string }> {
  const masters = await dep.masterClients();
  if (!dep.isCluster || masters.length === 1) return masters[0]!;
  const slot = keySlot(key);
  const owner = (dep.client as Cluster).slots[slot]?.[0];
  const byTable = masters.find((m) => m.address === owner);
  if (byTable) return byTable;
  const nodes = await dep.discover();
  const master = nodes.find((n) => n.role === 'master' && (n.slots ?? []).some(([a, b]) => slot >= a && slot <= b));
  return masters.find((m) => m.address === master?.address) ?? masters[0]!;
}
