import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { analyzeMemory, type MemoryOptions } from '../../src/core/memory/analyze.js';
import { GridctlError } from '../../src/core/errors.js';
import { MEMORY_ACL_PIPELINE, MEMORY_ACL_SCRIPT } from '../../src/core/memory/acl.js';
import type { MemoryReport } from '../../src/core/memory/types.js';
import { memoryTestOptions, memorySeed, stableReport } from '../unit/memory/seed-fixture.js';

const seed = memorySeed();
const options = memoryTestOptions;

let dep: TestDeployment;
let client: Redis;

async function analyse(o: Partial<MemoryOptions> = {}, auth?: { username: string; password: string }): Promise<MemoryReport> {
  const d = await Deployment.open(auth ? { ...dep.spec, auth } : dep.spec);
  try {
    return await analyzeMemory(d, options(o));
  } finally {
    await d.close();
  }
}

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  client = (await dep.client()) as Redis;
  for (const k of seed) for (const c of k.commands) await client.call(String(c[0]), ...c.slice(1));
  await client.call('ACL', 'SETUSER', 'mem-script', 'on', '>script-pass-1', 'resetkeys', ...MEMORY_ACL_SCRIPT.split(' '));
  await client.call('ACL', 'SETUSER', 'mem-pipeline', 'on', '>pipeline-pass-1', 'resetkeys', ...MEMORY_ACL_PIPELINE.split(' '));
  await client.call('ACL', 'SETUSER', 'mem-nousage', 'on', '>nousage-pass-1', 'resetkeys', ...MEMORY_ACL_SCRIPT.split(' '), '-memory|usage');
});

afterAll(async () => {
  client?.disconnect();
  await dep?.stop();
});

describe('gridctl memory on a seeded instance', () => {
  it('namespace totals equal the sum of per-key MEMORY USAGE (same SAMPLES)', async () => {
    const report = await analyse();
    expect(report.technique).toBe('script');
    const expected = new Map<string, number>();
    for (const k of seed) {
      const bytes = Number(await client.call('MEMORY', 'USAGE', k.key, 'SAMPLES', 5));
      expected.set(k.namespace, (expected.get(k.namespace) ?? 0) + bytes);
    }
    const actual = new Map(report.namespaces.map((n) => [n.name, n.bytes]));
    expect(actual).toEqual(expected);
    expect(report.totals.bytes).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    expect(report.totals.keys).toBe(seed.length);
  });

  it('TTL coverage is exact per namespace', async () => {
    const report = await analyse();
    for (const ns of report.namespaces) {
      const keys = seed.filter((k) => k.namespace === ns.name);
      expect({ name: ns.name, keys: ns.keys, withTtl: ns.ttl.withTtl }).toEqual({ name: ns.name, keys: keys.length, withTtl: keys.filter((k) => k.ttl).length });
      expect(ns.ttl.histogram.none).toBe(keys.filter((k) => !k.ttl).length);
    }
    expect(report.totals.withTtl).toBe(seed.filter((k) => k.ttl).length);
  });

  it('reports element counts, top keys, big keys and the expected findings', async () => {
    const report = await analyse();
    expect(report.topKeysByElements[0]).toMatchObject({ key: 'orderbook:buy', type: 'zset', elements: 300 });
    expect(report.topKeysByBytes[0]!.key).toBe('orderbook:buy');
    const ids = report.findings.map((f) => `${f.severity}:${f.id}:${f.keys}`);
    expect(ids).toEqual(
      expect.arrayContaining([
        'critical:ephemeral-without-ttl:10',
        'critical:lock-without-ttl:1',
        'warning:cache-without-ttl:5',
        'warning:big-key:1',
        `info:undeclared-keys:12`,
      ]),
    );
    expect(report.failed).toBe(true);
    expect((await analyse({ failOn: 'never' })).failed).toBe(false);
  });

  it('the pipeline technique gives the same report as the script', async () => {
    const [script, pipeline] = [await analyse(), await analyse({ technique: 'pipeline' })];
    expect(pipeline.technique).toBe('pipeline');
    expect(stableReport(pipeline)).toEqual(stableReport(script));
  });

  it('--match limits the keys; --sample extrapolates within the stated error', async () => {
    const matched = await analyse({ match: 'user:session:*' });
    expect(matched.namespaces.map((n) => n.name)).toEqual(['user:session:{session_id}']);
    expect(matched.totals.keys).toBe(40);
    const sampled = await analyse({ sampleRatio: 0.5 });
    expect(sampled.sampling).toBeDefined();
    expect(sampled.totals.keys).toBeLessThan(seed.length);
    const s = sampled.sampling!;
    expect(Math.abs(s.keys.estimate - seed.length)).toBeLessThanOrEqual(2 * s.keys.margin95);
    expect(s.keys.margin95).toBeGreaterThan(0);
  });

  it('works for a read-only user with the script ACL, and falls back to the pipeline without +eval', async () => {
    const viaScript = await analyse({}, { username: 'mem-script', password: 'script-pass-1' });
    expect(viaScript.technique).toBe('script');
    expect(viaScript.totals.keys).toBe(seed.length);
    const viaPipeline = await analyse({}, { username: 'mem-pipeline', password: 'pipeline-pass-1' });
    expect(viaPipeline.technique).toBe('pipeline');
    expect(viaPipeline.nodes[0]!.fallbackReason).toMatch(/NOPERM/);
    expect(stableReport(viaPipeline)).toEqual(stableReport(viaScript));
  });

  it('a user without memory|usage gets PERMISSION_DENIED (exit 4) naming the ACL to grant', async () => {
    const err = await analyse({}, { username: 'mem-nousage', password: 'nousage-pass-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GridctlError);
    expect((err as GridctlError).code).toBe('PERMISSION_DENIED');
    expect((err as GridctlError).exitCode).toBe(4);
    expect((err as GridctlError).message).toMatch(/memory/i);
    expect((err as GridctlError).hint).toContain('+memory|usage');
  });

  it('reads the eviction policy: store keys with TTL under volatile-lru are flagged', async () => {
    await client.config('SET', 'maxmemory', '1gb');
    await client.config('SET', 'maxmemory-policy', 'volatile-lru');
    try {
      const report = await analyse();
      expect(report.nodes[0]!.maxmemoryPolicy).toBe('volatile-lru');
      const f = report.findings.find((x) => x.id === 'store-evictable' && x.namespace === 'order:{order_id}');
      expect(f?.keys).toBe(20);
    } finally {
      await client.config('SET', 'maxmemory', '0');
      await client.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });
});
