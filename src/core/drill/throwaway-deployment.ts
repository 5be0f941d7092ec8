import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onCancel } from '../cancel.js';
import { upLocal, downLocal } from '../local/up.js';
import type { LocalState } from '../local/state.js';
import { isOurRedis, stopProcess } from '../local/process.js';
import { specFromLocalState } from '../redis/resolve.js';
import type { ConnectionSpec, Topology } from '../redis/spec.js';

export interface ThrowawayDeployment {
  state: LocalState;
  spec: ConnectionSpec;
  /** The pids it started, so a caller (and a test) can see they are gone afterwards. */
  pids: number[];
  /** Stop every process and remove the directory; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A private local deployment of one topology, started by the harness of `gridctl up` in a 0700
 * temporary directory (loopback, free ports, an ACL admin with a random password). It is stopped
 * on every path: by stop(), and by Ctrl-C / SIGTERM while it runs.
 */
/**
 * downLocal stops what state.json lists; a signal while the nodes start comes before state.json is
 * written, so the pid files of the node directories are read too.
 */
async function stopEverything(runDir: string): Promise<void> {
  await downLocal(runDir);
  const dirs = await readdir(runDir).catch(() => [] as string[]);
  for (const name of dirs) {
    for (const file of ['redis.pid', 'sentinel.pid']) {
      const pid = Number((await readFile(path.join(runDir, name, file), 'utf8').catch(() => '')).trim());
      if (pid > 0 && (await isOurRedis(pid, path.join(runDir, name)))) await stopProcess(pid);
    }
  }
}

export async function startThrowawayDeployment(opts: { topology: Topology; timeoutMs: number; redisServer?: string; redisSentinel?: string; onProgress?: (m: string) => void }): Promise<ThrowawayDeployment> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-drill-'));
  const runDir = path.join(dir, 'run');
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopEverything(runDir).then(() => rm(dir, { recursive: true, force: true })));
  const removeCancel = onCancel(stop);
  try {
    const state = await upLocal({
      topology: opts.topology,
      dir: runDir,
      acl: true,
      sentinelDownAfterMs: 1000,
      ...(opts.redisServer ? { redisServer: opts.redisServer } : {}),
      ...(opts.redisSentinel ? { redisSentinel: opts.redisSentinel } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    const spec = await specFromLocalState(state, { timeoutMs: opts.timeoutMs });
    return {
      state,
      spec: { ...spec, source: `throwaway ${opts.topology} deployment` },
      pids: state.nodes.map((n) => n.pid),
      stop: async () => {
        removeCancel();
        await stop();
      },
    };
  } catch (err) {
    removeCancel();
    await stop();
    throw err;
  }
}
