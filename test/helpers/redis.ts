import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Redis, Cluster, type RedisOptions } from 'ioredis';
import { upLocal, downLocal, type UpOptions } from '../../src/core/local/up.js';
import { upFromScaffold } from '../../src/core/local/from-scaffold.js';
import { scaffold } from '../../src/core/scaffold/scaffold.js';
import { buildInitialConfig, defaultAnswers, type InitAnswers } from '../../src/core/scaffold/model.js';
import type { Role } from '../../src/core/config/schema-deployment.js';
import { specFromLocalState } from '../../src/core/redis/resolve.js';
import { connectNode, connectMain, type AnyRedis } from '../../src/core/redis/connect.js';
import type { LocalNode, LocalState } from '../../src/core/local/state.js';
import type { ConnectionSpec } from '../../src/core/redis/spec.js';
import type { TestServer } from './servers.js';

/**
 * The one helper every integration and e2e test uses to get real Redis processes: it starts them
 * through the same code as `gridctl up` (free loopback ports, TLS, ACL, Sentinel, Cluster) in a
 * temporary run dir, and stops exactly those processes afterwards. startScaffolded (below) starts
 * what `gridctl init` renders the same way.
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
type DeploymentOptions = Parameters<typeof startDeployment>[0];

/**
 * Several deployments started side by side. If one fails to start, the others are stopped before
 * the error is thrown: a failed beforeAll never reaches the afterAll that would stop them.
 */
export async function startDeployments<T extends DeploymentOptions[]>(...all: T): Promise<{ [K in keyof T]: TestDeployment }> {
  const settled = await Promise.allSettled(all.map((o) => startDeployment(o)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<TestDeployment>).value) as { [K in keyof T]: TestDeployment };
}

export async function startDeployment(opts: Omit<UpOptions, 'dir'> & { dir?: string; server?: TestServer }): Promise<TestDeployment> {
  const { server, ...up } = opts;
  const dir = opts.dir ?? (await testDir('gridctl-test-'));
  const runDir = path.join(dir, 'run');
  const binaries = server ? { redisServer: server.server, redisSentinel: server.sentinel } : {};
  // 3 s, not 1: on a loaded machine a new master that stalled for a second (a slow fsync of its
  // CONFIG REWRITE) was failed over again by the sentinels in the middle of a test.
  const state = await upLocal({ sentinelDownAfterMs: 3000, ...binaries, ...up, dir: runDir });
  const spec = await specFromLocalState(state, { timeoutMs: 5000 });
  const deployment: TestDeployment = {
    state,
    dir,
    spec,
    url: state.url,
    cliArgs: ['--run-dir', runDir],
    client: () => connectMain(spec),
    node: (n) => connectNode(spec, n, { sentinel: n.role === 'sentinel' }),
    stop: () => stopIn(dir, runDir),
  };
  if (spec.auth.password) deployment.password = spec.auth.password;
  return deployment;
}

function testDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Stop exactly the processes started in runDir, then remove the test's folder. */
async function stopIn(dir: string, runDir: string): Promise<void> {
  await downLocal(runDir);
  await rm(dir, { recursive: true, force: true });
}

/**
 * A deployment as `gridctl init` renders it: the scaffold written by init's core, started by
 * `gridctl up --from`'s core in a temporary folder, with connections to it as each ACL role.
 */
export interface ScaffoldedDeployment {
  outDir: string;
  runDir: string;
  state: LocalState;
  tls: boolean;
  password(role: Role): Promise<string>;
  /** A direct connection to one node as a role (TLS with the app or gridctl client certificate). */
  connect(node: LocalNode, role: Role | 'default', password?: string): Promise<Redis>;
  tlsMaterial(client: 'app' | 'gridctl'): Promise<{ ca: Buffer; cert: Buffer; key: Buffer } | undefined>;
  /** A cluster client as a role, seeded with every master. */
  cluster(role: Role): Promise<Cluster>;
  stop(): Promise<void>;
}

export async function startScaffolded(answers: Partial<InitAnswers>): Promise<ScaffoldedDeployment> {
  const base = await testDir('gridctl-init-');
  const outDir = path.join(base, 'deploy');
  const runDir = path.join(base, 'run');
  const a = defaultAnswers(answers);
  await scaffold({ outDir, config: buildInitialConfig(a), writeModel: true, dryRun: false, force: false, rotateSecrets: false });
  const state = await upFromScaffold({ from: outDir, dir: runDir, readyTimeoutMs: 90_000 });
  const passwords = new Map<Role, string>();
  const password = async (role: Role) => {
    if (!passwords.has(role)) {
      const text = await readFile(path.join(outDir, 'secrets', `${role}.env`), 'utf8');
      passwords.set(role, /^REDIS_PASSWORD=(.*)$/m.exec(text)![1]!);
    }
    return passwords.get(role)!;
  };
  const tlsMaterial = async (client: 'app' | 'gridctl') =>
    a.tls
      ? {
          ca: await readFile(path.join(outDir, 'tls', 'ca.crt')),
          cert: await readFile(path.join(outDir, 'tls', `${client}.crt`)),
          key: await readFile(path.join(outDir, 'tls', `${client}.key`)),
        }
      : undefined;
  return {
    outDir,
    runDir,
    state,
    tls: a.tls,
    password,
    tlsMaterial,
    async connect(node, role, pw) {
      const opts = await clientOptions(role, pw ?? (role === 'default' ? 'not-the-password' : await password(role)), await tlsMaterial(role === 'app' ? 'app' : 'gridctl'));
      const client = new Redis({ ...opts, host: node.host, port: node.port });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    async cluster(role) {
      const opts = await clientOptions(role, await password(role), await tlsMaterial(role === 'app' ? 'app' : 'gridctl'));
      delete opts.lazyConnect;
      const seeds = state.nodes.filter((n) => n.role === 'master').map((n) => ({ host: n.host, port: n.port }));
      const c = new Cluster(seeds, { lazyConnect: true, redisOptions: opts, enableReadyCheck: false, clusterRetryStrategy: () => null, dnsLookup: (a, cb) => cb(null, a) });
      c.on('error', () => undefined);
      await c.connect();
      return c;
    },
    stop: () => stopIn(base, runDir),
  };
}

/** ioredis options of a direct connection as one user, failing fast (TLS with the given client certificate). */
export async function clientOptions(username: string, password: string, material: { ca: Buffer; cert: Buffer; key: Buffer } | undefined): Promise<RedisOptions> {
  return {
    username,
    password,
    lazyConnect: true,
    // The app and backup users may not run INFO (it is @dangerous), so no ready check.
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
    commandTimeout: 5000,
    ...(material ? { tls: { ca: material.ca, cert: material.cert, key: material.key, servername: 'localhost' } } : {}),
  };
}
