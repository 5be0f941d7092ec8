import { DEFAULT_NAMESPACES } from '../../../src/core/config/defaults.js';
import type { MemoryOptions } from '../../../src/core/memory/types.js';
import type { MemoryReport } from '../../../src/core/memory/types.js';

/**
 * A small, deterministic gateway-shaped keyspace shared by the memory integration and e2e tests:
 * every key with the namespace it must land in and whether it has a TTL, so tests can compute
 * the expected report independently of the code under test. TTLs sit away from the TTL histogram's
 * bucket edges (1m, 10m, 1h, 1d, 7d), so two runs a few seconds apart bucket every key alike.
 */
export interface SeedKey {
  key: string;
  namespace: string;
  ttl: boolean;
  commands: Array<Array<string | number>>;
}

export function memorySeed(): SeedKey[] {
  const keys: SeedKey[] = [];
  const add = (key: string, namespace: string, ttl: boolean, ...commands: Array<Array<string | number>>) => keys.push({ key, namespace, ttl, commands });
  for (let i = 0; i < 40; i++) {
    const k = `user:session:s${i}`;
    add(k, 'user:session:{session_id}', i < 30, i < 30 ? ['SET', k, `{"user":"u${i}","role":"trader"}`, 'EX', 1800 + i] : ['SET', k, `{"user":"u${i}"}`]);
  }
  for (let i = 0; i < 30; i++) {
    const k = `user:profile:p${i}`;
    const cmds: Array<Array<string | number>> = [['HSET', k, 'id', `p${i}`, 'email', `u${i}@example.org`, 'name', `User ${i}`]];
    if (i < 25) cmds.push(['EXPIRE', k, 7200]);
    add(k, 'user:profile:{user_id}', i < 25, ...cmds);
  }
  for (let i = 0; i < 5; i++) {
    const k = `lock:order_matching:SYM${i}`;
    add(k, 'lock:{resource}', i < 4, i < 4 ? ['SET', k, `token-${i}`, 'PX', 300000] : ['SET', k, `token-${i}`]);
  }
  const book: Array<string | number> = ['ZADD', 'orderbook:buy'];
  for (let i = 0; i < 300; i++) book.push(0.1 + i / 10000, `{"id":"o-${i}","side":"Buy","price":"${(0.1 + i / 10000).toFixed(4)}"}`);
  add('orderbook:buy', 'orderbook:buy', false, book);
  for (let i = 0; i < 20; i++) {
    const k = `order:o${i}`;
    add(k, 'order:{order_id}', true, ['HSET', k, 'data', `{"id":"o${i}","price":"0.15"}`], ['EXPIRE', k, 43200]);
  }
  add('stream:trades', 'stream:trades', false, ...Array.from({ length: 50 }, (_, i) => ['XADD', 'stream:trades', `${i + 1}-0`, 'payload', `{"seq":${i}}`]));
  for (let i = 0; i < 10; i++) add(`misc:thing:${i}`, 'misc:thing:*', false, ['SADD', `misc:thing:${i}`, 'a', 'b', 'c']);
  add('queue:jobs', 'queue:*', false, ['RPUSH', 'queue:jobs', ...Array.from({ length: 20 }, (_, i) => `job-${i}`)]);
  add('nocolon', '(no prefix)', false, ['SET', 'nocolon', 'x']);
  return keys;
}

/** The report without what legitimately differs between two runs: remaining TTLs, timings, nodes. */
export function stableReport(r: MemoryReport) {
  const entry = (e: { ttlMs: number }) => ({ ...e, ttlMs: e.ttlMs < 0 ? -1 : 'set' });
  return {
    namespaces: r.namespaces.map((n) => ({ ...n, biggestKeys: n.biggestKeys.map(entry) })),
    topKeysByBytes: r.topKeysByBytes.map(entry),
    topKeysByElements: r.topKeysByElements.map(entry),
    findings: r.findings,
    totals: { ...r.totals, scanned: undefined },
  };
}

/**
 * The report without byte counts, for comparing a Cluster with a standalone instance. MEMORY USAGE
 * legitimately differs there: on a Redis 7.0 cluster node every key's dict entry carries 16 bytes of
 * slot-to-key links, and skiplist nodes get random levels on every instance. Everything else
 * (namespaces, key counts, types, elements, TTL coverage and histogram, rankings, findings) must match.
 */
export function reportWithoutBytes(r: MemoryReport) {
  return {
    namespaces: [...r.namespaces]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((n) => ({ name: n.name, kind: n.kind, declared: n.declared, keys: n.keys, types: n.types, elements: n.elements, ttl: n.ttl, biggestKeys: n.biggestKeys.map((k) => k.key) })),
    topKeysByBytes: r.topKeysByBytes.map((k) => k.key),
    topKeysByElements: r.topKeysByElements.map((k) => ({ key: k.key, elements: k.elements, type: k.type })),
    findings: r.findings.map((f) => ({ id: f.id, severity: f.severity, namespace: f.namespace, keys: f.keys })),
    totals: { keys: r.totals.keys, withTtl: r.totals.withTtl, elements: r.totals.elements },
  };
}

/** The analysis options the memory integration tests start from (small big-key threshold, 5 ms batches). */
export function memoryTestOptions(o: Partial<MemoryOptions> = {}): MemoryOptions {
  return {
    namespaces: DEFAULT_NAMESPACES,
    replicas: false,
    samples: 5,
    sampleRatio: 1,
    prefixDepth: 2,
    top: 5,
    bigKeyBytes: 10 * 1024 * 1024,
    bigKeyElements: 200,
    failOn: 'critical',
    batchBudgetMs: 5,
    technique: 'auto',
    ...o,
  };
}
