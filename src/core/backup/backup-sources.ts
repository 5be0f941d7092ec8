import type { Redis } from 'ioredis';
import { GridctlError } from '../errors.js';
import { connectNode } from '../redis/connect.js';
import { parseInfo } from '../redis/info.js';
import { classifyRedisError } from '../redis/errors.js';
import { errorContext } from '../redis/connect.js';
import type { Deployment, NodeInfo } from '../redis/deployment.js';

export interface BackupSource {
  address: string;
  endpoint: { host: string; port: number };
  role: 'master' | 'replica';
  /** The master this source stands for (itself when it is a master). */
  masterAddress: string;
  serverVersion: string;
  client: Redis;
}

/** A node a backup reads, and the master it stands for (itself when it is a master). */
export interface BackupPick {
  node: NodeInfo;
  master: NodeInfo;
  role: 'master' | 'replica';
}

/**
 * The nodes a backup reads: every master (Cluster: all of them; Sentinel: the current master;
 * standalone: the node), or with fromReplica one healthy replica per master, so the backup's
 * reads do not land on the node the gateway writes to. Discovery only: no connection is opened.
 */
export async function chooseBackupNodes(dep: Deployment, fromReplica: boolean): Promise<BackupPick[]> {
  const nodes = (await dep.discover()).filter((n) => n.role !== 'sentinel');
  let masters = nodes.filter((n) => n.role === 'master');
  // A standalone URL that points at a replica: back up what it holds.
  if (masters.length === 0 && dep.spec.topology === 'standalone') masters = nodes.slice(0, 1);
  if (masters.length === 0) throw new GridctlError('OPERATION_FAILED', 'no master found to back up');
  const picks: BackupPick[] = [];
  for (const m of masters) {
    if (!fromReplica) {
      picks.push({ node: m, master: m, role: m.role === 'replica' ? 'replica' : 'master' });
      continue;
    }
    const replica = nodes.find((n) => n.role === 'replica' && n.masterAddress === m.address && !(n.flags ?? []).some((f) => /fail|s_down|o_down|disconnected|noaddr/.test(f)));
    if (!replica) {
      throw new GridctlError('OPERATION_FAILED', `--from-replica: master ${m.address} has no healthy replica`, { hint: 'back up from the master (drop --from-replica) or repair the replica' });
    }
    picks.push({ node: replica, master: m, role: 'replica' });
  }
  return picks;
}

/** One connection per chosen node, with its server version (INFO server). */
export async function connectBackupSources(dep: Deployment, picks: readonly BackupPick[]): Promise<BackupSource[]> {
  const sources: BackupSource[] = [];
  try {
    for (const { node, master, role } of picks) {
      const client = await connectNode(dep.spec, node, { readOnly: role === 'replica' && dep.isCluster });
      let version: string;
      try {
        version = parseInfo(await client.info('server')).redis_version ?? '0.0.0';
      } catch (err) {
        client.disconnect();
        throw classifyRedisError(err, errorContext(dep.spec, node.address));
      }
      sources.push({ address: node.address, endpoint: { host: node.host, port: node.port }, role, masterAddress: master.address, serverVersion: version, client });
    }
  } catch (err) {
    for (const s of sources) s.client.disconnect();
    throw err;
  }
  return sources;
}

/** chooseBackupNodes, then connectBackupSources. */
export async function openBackupSources(dep: Deployment, fromReplica: boolean): Promise<BackupSource[]> {
  return connectBackupSources(dep, await chooseBackupNodes(dep, fromReplica));
}

export function closeBackupSources(sources: BackupSource[]): void {
  for (const s of sources) s.client.disconnect();
}
