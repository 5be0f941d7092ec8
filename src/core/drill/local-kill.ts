import { rm } from 'node:fs/promises';
import { GridctlError } from '../errors.js';
import { findBinary } from '../local/binaries.js';
import { pidFileOf } from '../local/launch.js';
import { isAlive, isOurRedis, sleep, startDaemon } from '../local/process.js';
import { writeLocalState, type LocalNode, type LocalState } from '../local/state.js';
import { endpointLabel, type Endpoint } from '../redis/endpoint.js';

/** A node of a local `gridctl up` deployment that a drill killed, and the binary to start it again with. */
export interface KilledNode {
  node: LocalNode;
  binary: string;
}

/** SIGKILL the local node at `address` (a master going down hard); only what `gridctl up` recorded may be killed. */
export async function killLocalNode(state: LocalState, address: string): Promise<KilledNode> {
  const node = state.nodes.find((n) => endpointLabel(n) === address);
  if (!node || !(await isOurRedis(node.pid, node.configFile))) {
    throw new GridctlError('USAGE', `--kill works only on a local \`gridctl up\` deployment, and ${address} is not one of the nodes running from ${state.dir}`, {
      hint: 'drop --kill for a coordinated failover (SENTINEL FAILOVER / CLUSTER FAILOVER), or pass the --run-dir of the local deployment',
    });
  }
  // Found before the kill: a missing binary must not leave the deployment without its node.
  const binary = await findBinary(node.role === 'sentinel' ? 'redis-sentinel' : 'redis-server');
  process.kill(node.pid, 'SIGKILL');
  while (isAlive(node.pid)) await sleep(10);
  return { node, binary };
}

/**
 * Start a killed node again on its own config and record its new pid. Given `replicaOf`, it starts as
 * that master's replica: an old master that came back as a master, even for a moment, would take the
 * writes of a client that a lagging sentinel still sends to it, and refuse them once demoted.
 */
export async function restartLocalNode(state: LocalState, killed: KilledNode, replicaOf?: Endpoint): Promise<number> {
  const pidFile = pidFileOf(killed.node);
  await rm(pidFile, { force: true });
  const args = replicaOf ? ['--replicaof', replicaOf.host, String(replicaOf.port)] : [];
  killed.node.pid = await startDaemon(killed.binary, killed.node.configFile, pidFile, killed.node.logFile, { args });
  await writeLocalState(state);
  return killed.node.pid;
}
