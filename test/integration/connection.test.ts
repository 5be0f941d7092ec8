import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { Deployment } from '../../src/core/redis/deployment.js';
import { scanDeployment } from '../../src/core/redis/scan.js';
import { resolveConnectionSpec, type ResolveEnvironment } from '../../src/core/redis/resolve.js';
import { GridctlError } from '../../src/core/errors.js';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';

describe('connection layer on a TLS cluster with ACL', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'cluster', tls: true, acl: true });
  });
  afterAll(() => d?.stop());

  it('discovers every node with its role and slots', async () => {
    const dep = await Deployment.open(d.spec);
    try {
      const nodes = await dep.discover();
      expect(nodes.filter((n) => n.role === 'master')).toHaveLength(3);
      expect(nodes.filter((n) => n.role === 'replica')).toHaveLength(3);
      const slots = nodes.flatMap((n) => n.slots ?? []).reduce((sum, [a, b]) => sum + (b - a + 1), 0);
      expect(slots).toBe(16384);
      for (const r of nodes.filter((n) => n.role === 'replica')) expect(nodes.some((m) => m.address === r.masterAddress)).toBe(true);
    } finally {
      await dep.close();
    }
  });

  it('runs a command on every master and scans the whole cluster', async () => {
    const dep = await Deployment.open(d.spec);
    try {
      const keys = Array.from({ length: 300 }, (_, i) => `user:profile:${i}`);
      for (const k of keys) await dep.client.set(k, 'x');
      const sizes = await dep.forEachMaster((c) => c.dbsize());
      expect(sizes).toHaveLength(3);
      expect(sizes.every((s) => s.result > 0)).toBe(true);
      expect(sizes.reduce((a, s) => a + s.result, 0)).toBe(300);
      const seen = new Set<string>();
      for await (const page of scanDeployment(dep, { match: 'user:profile:*', count: 50 })) for (const k of page.keys) seen.add(k.toString());
      expect([...seen].sort()).toEqual([...keys].sort());
      const everyNode = await dep.forEachNode(await dep.discover(), (c: Redis) => c.ping());
      expect(everyNode.map((r) => r.result)).toEqual(Array(6).fill('PONG'));
    } finally {
      await dep.close();
    }
  });
});

describe('connection layer on Sentinel over TLS with ACL', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'sentinel', tls: true, acl: true });
  });
  afterAll(() => d?.stop());

  it('finds the master through the sentinels and writes to it', async () => {
    const dep = await Deployment.open(d.spec);
    try {
      await dep.client.set('market:current_epoch', 'e1');
      const nodes = await dep.discover();
      const master = nodes.find((n) => n.role === 'master')!;
      expect(master.port).toBe(d.state.nodes.find((n) => n.role === 'master')!.port);
      expect(nodes.filter((n) => n.role === 'sentinel')).toHaveLength(3);
      expect(nodes.filter((n) => n.role === 'replica')).toHaveLength(2);
    } finally {
      await dep.close();
    }
  });

  it('a wrong sentinel master name is a clear error', async () => {
    await expect(Deployment.open({ ...d.spec, masterName: 'nope', timeoutMs: 2000 })).rejects.toBeInstanceOf(GridctlError);
  });
});

/** No process state: the environment is the test's own, and no `gridctl up` runs anywhere. */
function where(env: Record<string, string>): ResolveEnvironment {
  return { env, cwd: '/nonexistent', configDir: '/nonexistent', readRunDir: async () => undefined, defaultRunDir: '.gridctl/local' };
}

describe('resolving targets from gridctl.yaml', () => {
  it('builds a sentinel spec with separate sentinel credentials and TLS from a target', async () => {
    const spec = await resolveConnectionSpec(
      { target: 'prod', timeoutMs: 1000 },
      {
        targets: {
          prod: {
            topology: 'sentinel',
            nodes: ['10.0.0.7:26379', '10.0.0.8:26379'],
            masterName: 'grid',
            username: 'monitor',
            passwordEnv: 'MON_PW',
            sentinel: { username: 'sen', passwordEnv: 'SEN_PW' },
          },
        },
      },
      where({ MON_PW: 'monitor-secret', SEN_PW: 'sentinel-secret' }),
    );
    expect(spec).toMatchObject({
      topology: 'sentinel',
      masterName: 'grid',
      nodes: [{ host: '10.0.0.7', port: 26379 }, { host: '10.0.0.8', port: 26379 }],
      auth: { username: 'monitor', password: 'monitor-secret' },
      sentinel: { auth: { username: 'sen', password: 'sentinel-secret' } },
    });
  });

  it('an unknown target names the known ones', async () => {
    await expect(resolveConnectionSpec({ target: 'stage', timeoutMs: 1000 }, { targets: { prod: { url: 'redis://h:1' } } }, where({}))).rejects.toThrow(/unknown target "stage"/);
  });

  it('--url wins over REDIS_URL, and REDIS_PASSWORD fills a missing password', async () => {
    const spec = await resolveConnectionSpec({ url: 'redis://app@h1:7000', timeoutMs: 1000 }, {}, where({ REDIS_URL: 'redis://h2:1', REDIS_PASSWORD: 'pw-from-env' }));
    expect(spec.nodes).toEqual([{ host: 'h1', port: 7000 }]);
    expect(spec.auth).toEqual({ username: 'app', password: 'pw-from-env' });
  });
});
