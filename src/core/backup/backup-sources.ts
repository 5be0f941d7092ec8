import { GridctlError } from '../errors.js';
import { parseInfo } from '../redis/info.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { endpointLabel, type Endpoint } from '../redis/endpoint.js';
import { bulkCommand, integerCommand, openRawConnection, type RawConnection } from '../redis/raw-connection.js';
import type { Deployment, NodeInfo } from '../redis/deployment.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { nodeOnlyCoverage, singleNodeCoverage, type Coverage } from '../redis/coverage.js';
import { identityFromInfo, type ServerIdentity } from '../compat/server-identity.js';

/**
 * A node a backup reads, on a connection of its own (RESP spoken directly, raw-connection.ts): its
 * server version, and its key count when asked.
 */
export interface BackupSource {
  address: string;
  endpoint: Endpoint;
  role: 'master' | 'replica';
  /** The master this source stands for (itself when it is a master). */
  masterAddress: string;
  /** The engine's own version (identity.version: a Valkey's valkey_version, never its redis_version 7.2.4). */
  serverVersion: string;
  /** Engine, its version and the RDB version it writes (compat/server-identity.ts). */
  identity: ServerIdentity;
  /** DBSIZE on the source's connection. */
  keyCount(): Promise<number>;
  close(): void;
}

/** A node a backup reads, and the master it stands for (itself when it is a master). */
export interface BackupPick {
  node: NodeInfo;
  master: NodeInfo;
  role: 'master' | 'replica';
}

/**
 * True when the backup reads the one node the spec names, so no discovery (and no Deployment,
 * which loads ioredis) is needed: a standalone node read directly, not from a replica. Its role
 * comes from its own INFO replication.
 */
export function readsNodeDirectly(spec: ConnectionSpec, fromReplica: boolean): boolean {
  return spec.topology === 'standalone' && !fromReplica;
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
export async function connectBackupSources(spec: ConnectionSpec, picks: readonly BackupPick[]): Promise<BackupSource[]> {
  const sources: BackupSource[] = [];
  try {
    for (const { node, master, role } of picks) {
      const conn = await openSourceConnection(spec, node, role === 'replica' && spec.topology === 'cluster');
      sources.push(await describeSource(spec, conn, node, async () => ({ role, masterAddress: master.address })));
    }
  } catch (err) {
    closeBackupSources(sources);
    throw err;
  }
  return sources;
}

/** The node the spec names, read directly (readsNodeDirectly): master or replica, as its INFO says. */
export async function connectDirectSource(spec: ConnectionSpec): Promise<BackupSource> {
  const node = spec.nodes[0];
  if (!node) throw new GridctlError('USAGE', 'no Redis address given', { hint: 'pass --url, --target or set REDIS_URL' });
  const conn = await openSourceConnection(spec, node, false);
  return describeSource(spec, conn, node, async () => {
    const replication = parseInfo(String(await bulkCommand(conn, ['INFO', 'replication'])));
    // A standalone URL that points at a replica: back up what it holds, as the replica it is.
    return { role: replication.role === 'slave' ? 'replica' : 'master', masterAddress: endpointLabel(node) };
  });
}

/** The sources a backup reads: the named node directly, or every pick of the deployment's discovery. */
export async function openBackupSources(spec: ConnectionSpec, openDeployment: () => Promise<Deployment>, fromReplica: boolean): Promise<BackupSource[]> {
  if (readsNodeDirectly(spec, fromReplica)) return [await connectDirectSource(spec)];
  return connectBackupSources(spec, await chooseBackupNodes(await openDeployment(), fromReplica));
}

/**
 * What a backup's sources cover: the node read directly (partial when it is one node of a
 * Cluster, --node-only), or the masters of the deployment they stand for.
 */
export async function sourcesCoverage(spec: ConnectionSpec, openDeployment: () => Promise<Deployment>, sources: readonly BackupSource[], fromReplica: boolean): Promise<Coverage> {
  const nodes = sources.map((s) => s.address);
  if (readsNodeDirectly(spec, fromReplica)) return spec.partOf === 'cluster' ? nodeOnlyCoverage(nodes[0]!) : singleNodeCoverage('standalone', nodes[0]!);
  return { ...(await (await openDeployment()).coverage(sources.map((s) => s.masterAddress))), nodes };
}

export function closeBackupSources(sources: readonly BackupSource[]): void {
  for (const s of sources) s.close();
}

async function openSourceConnection(spec: ConnectionSpec, node: Endpoint, readOnly: boolean): Promise<RawConnection> {
  try {
    return await openRawConnection(spec, node, { readOnly, name: 'gridctl-backup' });
  } catch (err) {
    throw classifyRedisError(err, errorContext(spec, endpointLabel(node)));
  }
}

/** INFO server (and whatever `placement` asks) on the source's connection; closed if they fail. */
async function describeSource(
  spec: ConnectionSpec,
  conn: RawConnection,
  node: Endpoint,
  placement: () => Promise<{ role: 'master' | 'replica'; masterAddress: string }>,
): Promise<BackupSource> {
  const address = endpointLabel(node);
  try {
    const info = parseInfo(String(await bulkCommand(conn, ['INFO', 'server'])));
    const identity = identityFromInfo(info);
    const { role, masterAddress } = await placement();
    return {
      address,
      endpoint: { host: node.host, port: node.port },
      role,
      masterAddress,
      serverVersion: identity.version,
      identity,
      keyCount: () => integerCommand(conn, ['DBSIZE']).catch((err: unknown) => Promise.reject(classifyRedisError(err, errorContext(spec, address)))),
      close: () => conn.close(),
    };
  } catch (err) {
    conn.close();
    throw classifyRedisError(err, errorContext(spec, address));
  }
}
