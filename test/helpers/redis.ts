import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { upLocal, downLocal, type UpOptions } from '../../src/core/local/up.js';
import { specFromLocalState } from '../../src/core/redis/resolve.js';
import { connectNode, connectMain, type AnyRedis } from '../../src/core/redis/connect.js';
import type { LocalNode, LocalState } from '../../src/core/local/state.js';
import type { ConnectionSpec } from '../../src/core/redis/spec.js';
import type { TestServer } from './servers.js';

/**
 * The one helper every integration and e2e test uses to get real Redis processes: it starts them
 * through the same code as `gridctl up` (free loopback ports, TLS, ACL, Sentinel, Cluster) in a
 * temporary run dir, and stops exactly those processes afterwards.
 */
export interface TestDeployment {
  state: LocalState;
  dir: string;
  spec: ConnectionSpec;
  /** Display URL (no password). */
  url: string;
  /** Admin password when started with acl: true. */
  password?: string;
  /** CLI flags that reach this deployment through `--run-dir` (used by e2e tests). */
  cliArgs: string[];
  /** A connected main client (standalone / sentinel master / cluster). Caller closes it. */
  client(): Promise<AnyRedis>;
  /** A direct connection to one node. */
  node(n: LocalNode): Promise<Redis>;
  stop(): Promise<void>;
}

/** `server`: a build from GRIDCTL_TEST_SERVERS (test/helpers/servers.ts); default the redis-server on PATH. */
export async function startDeployment(opts: Omit<UpOptions, 'dir'> & { dir?: string; server?: TestServer }): Promise<TestDeployment> {
  const { server, ...up } = opts;
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'gridctl-test-')));
  const runDir = path.join(dir, 'run');
  const binaries = server ? { redisServer: server.server, redisSentinel: server.sentinel } : {};
  const state = await upLocal({ sentinelDownAfterMs: 1000, ...binaries, ...up, dir: runDir });
  const spec = await specFromLocalState(state, { timeoutMs: 5000 });
  const deployment: TestDeployment = {
    state,
    dir,
    spec,
    url: state.url,
    cliArgs: ['--run-dir', runDir],
    client: () => connectMain(spec),
    node: (n) => connectNode(spec, n, { sentinel: n.role === 'sentinel' }),
    async stop() {
      await downLocal(runDir);
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (spec.auth.password) deployment.password = spec.auth.password;
  return deployment;
}
