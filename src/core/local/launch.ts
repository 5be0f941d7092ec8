import { rm } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { isOurRedis, startDaemon, stopProcess } from './process.js';
import { createCluster, waitUntilReady } from './readiness.js';
import { readLocalState, writeLocalState, type LocalNode, type LocalState } from './state.js';

/** Where a local node's daemon writes its pid (both `up` and `up --from` lay nodes out this way). */
export function pidFileOf(node: Pick<LocalNode, 'role' | 'dataDir'>): string {
  return path.join(node.dataDir, `${node.role === 'sentinel' ? 'sentinel' : 'redis'}.pid`);
}

/**
 * Make the run dir free for a new deployment: refuse while what it recorded still runs (exit 3),
 * and remove what a crashed or killed earlier run left behind.
 */
export async function clearRunDir(dir: string): Promise<void> {
  const existing = await readLocalState(dir);
  if (!existing) return;
  const alive = await Promise.all(existing.nodes.map((n) => isOurRedis(n.pid, n.configFile)));
  if (alive.some(Boolean)) {
    throw new GridctlError('USAGE', `a local ${existing.topology} deployment is already running from ${dir}`, {
      hint: 'stop it first with `gridctl down` (or pick another --run-dir)',
    });
  }
  await rm(dir, { recursive: true, force: true });
}

export interface LaunchOptions {
  redisServer: string;
  redisSentinel?: string | undefined;
  readyTimeoutMs?: number | undefined;
  progress: (message: string) => void;
}

/**
 * Start the nodes of a planned local deployment whose configs are written: masters, then replicas,
 * then sentinels (each group only needs the previous one); record state.json before waiting, so
 * `gridctl down` can always clean up; build the cluster; wait until every node is really ready.
 * On failure everything started here is stopped again and the error is rethrown.
 */
export async function launchNodes(state: LocalState, opts: LaunchOptions): Promise<LocalState> {
  const started: LocalNode[] = [];
  try {
    for (const role of ['master', 'replica', 'sentinel'] as const) {
      const group = state.nodes.filter((n) => n.role === role);
      if (!group.length) continue;
      opts.progress(`starting ${group.length} ${role}${group.length > 1 ? 's' : ''}`);
      await Promise.all(
        group.map(async (n) => {
          const binary = role === 'sentinel' ? opts.redisSentinel! : opts.redisServer;
          n.pid = await startDaemon(binary, n.configFile, pidFileOf(n), n.logFile);
          started.push(n);
        }),
      );
    }
    await writeLocalState(state);
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
    if (state.topology === 'cluster') {
      opts.progress('creating the cluster (slots, meet, replicate)');
      await createCluster(state, deadline);
    }
    opts.progress('waiting until every node is ready');
    await waitUntilReady(state, deadline);
    return state;
  } catch (err) {
    await Promise.all(started.map((n) => stopProcess(n.pid, 2000)));
    throw err;
  }
}
