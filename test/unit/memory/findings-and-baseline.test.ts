import { describe, expect, it } from 'vitest';
import { MemoryAggregator } from '../../../src/core/memory/aggregator.js';
import { buildFindings, reachesFailOn, worstSeverity } from '../../../src/core/memory/findings.js';
import { compareWithBaseline } from '../../../src/core/memory/baseline.js';
import type { NamespaceConfig } from '../../../src/core/config/schema.js';
import type { NodeReport } from '../../../src/core/memory/types.js';

const namespaces: NamespaceConfig[] = [
  { pattern: 'user:session:{id}', kind: 'ephemeral', ttl: '24h' },
  { pattern: 'user:profile:{id}', kind: 'cache' },
  { pattern: 'lock:{resource}', kind: 'lock' },
  { pattern: 'order:{id}', kind: 'store', type: 'hash' },
];
const node = (policy: string, maxmemory: number): NodeReport => ({ address: 'n', role: 'master', dbsize: 0, scanned: 0, analysed: 0, technique: 'script', noTouch: false, batchKeys: 0, maxmemoryPolicy: policy, maxmemory });

function aggregate() {
  const agg = new MemoryAggregator({ namespaces, prefixDepth: 2, top: 5, bigKeyBytes: 1000, bigKeyElements: 10, sampleRatio: 1 });
  agg.add('user:session:1', 'string', 100, 60_000, 0);
  agg.add('user:session:2', 'string', 100, -1, 0);
  agg.add('user:profile:1', 'hash', 300, -1, 3);
  agg.add('lock:a', 'string', 50, -1, 0);
  agg.add('order:1', 'hash', 5000, 3_600_000, 20);
  agg.add('order:2', 'string', 10, -1, 0);
  agg.add('misc:x:1', 'string', 40, -1, 0);
  return agg;
}

describe('aggregation', () => {
  it('sums per namespace and keeps TTL coverage exact', () => {
    const ns = aggregate().namespaces();
    const byName = Object.fromEntries(ns.map((n) => [n.name, n]));
    expect(ns[0]!.name).toBe('order:{id}');
    expect(byName['order:{id}']!.bytes).toBe(5010);
    expect(byName['user:session:{id}']!.ttl.withTtl).toBe(1);
    expect(byName['user:session:{id}']!.ttl.coverage).toBe(0.5);
    expect(byName['user:session:{id}']!.ttl.histogram['<10m']).toBe(1);
    expect(byName['order:{id}']!.types).toEqual({ hash: 1, string: 1 });
    expect(byName['misc:x:*']!.declared).toBe(false);
    expect(ns.reduce((s, n) => s + n.share, 0)).toBeCloseTo(1);
  });
});

describe('findings', () => {
  it('reports leaks, locks, big keys, wrong types and undeclared keys, worst first', () => {
    const agg = aggregate();
    const f = buildFindings({ namespaces: agg.namespaces(), aggregator: agg, nodes: [node('noeviction', 0)], bigKeyBytes: 1000, bigKeyElements: 10 });
    const ids = f.map((x) => `${x.severity}:${x.id}`);
    expect(ids).toContain('critical:ephemeral-without-ttl');
    expect(ids).toContain('critical:lock-without-ttl');
    expect(ids).toContain('warning:cache-without-ttl');
    expect(ids).toContain('warning:big-key');
    expect(ids).toContain('warning:type-mismatch');
    expect(ids).toContain('info:undeclared-keys');
    expect(ids).not.toContain('warning:store-evictable');
    expect(f[0]!.severity).toBe('critical');
    expect(f.find((x) => x.id === 'ephemeral-without-ttl')!.examples).toEqual(['user:session:2']);
    expect(worstSeverity(f)).toBe('critical');
    expect(reachesFailOn(f, 'critical')).toBe(true);
    expect(reachesFailOn(f, 'never')).toBe(false);
    expect(reachesFailOn([f.at(-1)!], 'warning')).toBe(false);
  });

  it('flags store keys with TTL under a volatile policy only when maxmemory is set', () => {
    const agg = aggregate();
    const volatile = buildFindings({ namespaces: agg.namespaces(), aggregator: agg, nodes: [node('volatile-lru', 1 << 30)], bigKeyBytes: 1e9, bigKeyElements: 1e9 });
    expect(volatile.find((x) => x.id === 'store-evictable')?.keys).toBe(1);
    const allkeys = buildFindings({ namespaces: agg.namespaces(), aggregator: agg, nodes: [node('allkeys-lru', 1 << 30)], bigKeyBytes: 1e9, bigKeyElements: 1e9 });
    expect(allkeys.find((x) => x.id === 'store-evictable')?.keys).toBe(2);
  });
});

describe('baseline', () => {
  it('shows growth per namespace, new namespaces as null growth', () => {
    const now = aggregate().namespaces();
    const cmp = compareWithBaseline('prev.json', { namespaces: [{ name: 'order:{id}', keys: 1, bytes: 2505 }, { name: 'gone:*', keys: 3, bytes: 30 }] }, now);
    const order = cmp.namespaces.find((r) => r.namespace === 'order:{id}')!;
    expect(order.bytesDelta).toBe(2505);
    expect(order.growthPercent).toBe(100);
    expect(cmp.namespaces.find((r) => r.namespace === 'gone:*')!.bytesAfter).toBe(0);
    expect(cmp.namespaces.find((r) => r.namespace === 'lock:{resource}')!.growthPercent).toBeNull();
    expect(cmp.namespaces[0]!.namespace).toBe('order:{id}');
  });
});
