import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Redis } from 'ioredis';
import { startDeployments, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { analyzeMemory, type MemoryOptions } from '../../src/core/memory/analyze.js';
import type { MemoryReport } from '../../src/core/memory/types.js';
import { memoryTestOptions, memorySeed, reportWithoutBytes } from '../unit/memory/seed-fixture.js';

const seed = memorySeed();
const options = memoryTestOptions;

let cluster: TestDeployment;
let single: TestDeployment;
/** Σ MEMORY USAGE per namespace, asked key by key from the cluster. */
let clusterBytes: Map<string, number>;

async function analyse(d: TestDeployment, o: Partial<MemoryOptions> = {}): Promise<MemoryReport> {
  const dep = await Deployment.open(d.spec);
  try {
    return await analyzeMemory(dep, options(o));
  } finally {
    await dep.close();
  }
}

beforeAll(async () => {
  [cluster, single] = await startDeployments({ topology: 'cluster' }, { topology: 'standalone' });
  const c = (await cluster.client()) as Cluster;
  const s = (await single.client()) as Redis;
  clusterBytes = new Map();
  try {
    // Same commands in the same order on both, so every key has the same encoding and size.
    for (const k of seed) for (const cmd of k.commands) await Promise.all([c.call(String(cmd[0]), ...cmd.slice(1)), s.call(String(cmd[0]), ...cmd.slice(1))]);
    // Make sure the replicas have everything before --replicas reads them.
    await Promise.all(c.nodes('master').map((m) => m.call('WAIT', 1, 5000)));
    for (const k of seed) {
      const bytes = Number(await c.call('MEMORY', 'USAGE', k.key, 'SAMPLES', 5));
      clusterBytes.set(k.namespace, (clusterBytes.get(k.namespace) ?? 0) + bytes);
    }
  } finally {
    c.disconnect();
    s.disconnect();
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), single?.stop()]);
});

describe('gridctl memory on a 3-master cluster', () => {
  it('gives the same report as one instance holding the same keys (script technique, keys spread over all masters)', async () => {
    const [fromCluster, fromSingle] = [await analyse(cluster), await analyse(single)];
    expect(fromCluster.nodes).toHaveLength(3);
    expect(fromCluster.nodes.every((n) => n.analysed > 0 && n.technique === 'script')).toBe(true);
    expect(fromCluster.technique).toBe('script');
    expect(reportWithoutBytes(fromCluster)).toEqual(reportWithoutBytes(fromSingle));
    expect(fromCluster.totals.keys).toBe(seed.length);
  });

  it('namespace bytes on the cluster equal the sum of the cluster\'s own per-key MEMORY USAGE', async () => {
    const fromCluster = await analyse(cluster);
    expect(new Map(fromCluster.namespaces.map((n) => [n.name, n.bytes]))).toEqual(clusterBytes);
  });

  it('--replicas reads one replica per master (READONLY) and gives the same report', async () => {
    const fromReplicas = await analyse(cluster, { replicas: true });
    expect(fromReplicas.source).toBe('replicas');
    expect(fromReplicas.nodes.map((n) => n.role)).toEqual(['replica', 'replica', 'replica']);
    expect(reportWithoutBytes(fromReplicas)).toEqual(reportWithoutBytes(await analyse(single)));
  });

  it('the pipeline fallback also works across the cluster', async () => {
    const viaPipeline = await analyse(cluster, { technique: 'pipeline' });
    expect(viaPipeline.technique).toBe('pipeline');
    expect(viaPipeline.namespaces.map((n) => [n.name, n.bytes])).toEqual((await analyse(cluster)).namespaces.map((n) => [n.name, n.bytes]));
    expect(reportWithoutBytes(viaPipeline)).toEqual(reportWithoutBytes(await analyse(single)));
  });
});
