import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { EVERY_ENCODING_NAMESPACES, rdbPath, seedEveryEncoding } from '../helpers/every-encoding-seed.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { analyzeMemory } from '../../src/core/memory/analyze.js';
import { analyzeMemoryFromFile } from '../../src/core/offline/memory-from-file.js';
import type { MemoryReport } from '../../src/core/memory/types.js';
import { memoryTestOptions } from '../unit/memory/seed-fixture.js';

// The same data read twice: live (MEMORY USAGE SAMPLES 0, exact) and from the dump.rdb SAVE wrote.
let dep: TestDeployment;
let client: Redis;
let live: MemoryReport;
let fromFile: MemoryReport;
const encodingsLive = new Map<string, Record<string, number>>();

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  client = (await dep.client()) as Redis;
  await seedEveryEncoding(client);
  await client.save();
  const d = await Deployment.open(dep.spec);
  try {
    live = await analyzeMemory(d, memoryTestOptions({ samples: 0, top: 10 }));
  } finally {
    await d.close();
  }
  for (const ns of live.namespaces) encodingsLive.set(ns.name, {});
  const { samples: _samples, ...fileOptions } = memoryTestOptions({ top: 10 });
  fromFile = await analyzeMemoryFromFile(await rdbPath(client), { ...fileOptions, allocator: 'auto' });
  for await (const keys of client.scanStream({ count: 500 })) {
    for (const key of keys as string[]) {
      const enc = String(await client.object('ENCODING', key));
      const row = encodingsLive.get(namespaceOf(key))!;
      row[enc] = (row[enc] ?? 0) + 1;
    }
  }
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await dep?.stop();
});

/** The seed's namespace of a key (its names are unambiguous: the longest matching prefix). */
function namespaceOf(key: string): string {
  const literal = (p: string) => p.split('{')[0]!;
  const hits = EVERY_ENCODING_NAMESPACES.filter((p) => (p.includes('{') ? key.startsWith(literal(p)) : key === p));
  return hits.sort((a, b) => literal(b).length - literal(a).length)[0]!;
}

const byName = (r: MemoryReport) => new Map(r.namespaces.map((n) => [n.name, n]));

describe('memory --from dump.rdb against the live memory report of the same data', () => {
  it('the seed holds every namespace, type and encoding it claims', () => {
    expect(live.namespaces.map((n) => n.name).sort()).toEqual([...EVERY_ENCODING_NAMESPACES].sort());
    const all = new Set([...encodingsLive.values()].flatMap((e) => Object.keys(e)));
    for (const enc of ['int', 'embstr', 'raw', 'quicklist', 'intset', 'hashtable', 'listpack', 'skiplist', 'stream']) expect(all).toContain(enc);
  });

  it('the same keys per namespace and the same types', () => {
    const file = byName(fromFile);
    for (const ns of live.namespaces) expect({ ns: ns.name, keys: file.get(ns.name)?.keys, types: file.get(ns.name)?.types }).toEqual({ ns: ns.name, keys: ns.keys, types: ns.types });
    expect(fromFile.totals.keys).toBe(live.totals.keys);
    expect(fromFile.source).toBe('backup');
    expect(fromFile.backup!.expiredKeys).toBe(0);
  });

  it('the same TTL coverage per namespace, and the same elements', () => {
    const file = byName(fromFile);
    for (const ns of live.namespaces) {
      const f = file.get(ns.name)!;
      expect({ ns: ns.name, withTtl: f.ttl.withTtl, none: f.ttl.histogram.none, elements: f.elements }).toEqual({ ns: ns.name, withTtl: ns.ttl.withTtl, none: ns.ttl.histogram.none, elements: ns.elements });
    }
    expect(fromFile.totals.ttlCoverage).toBe(live.totals.ttlCoverage);
  });

  it('bytes per namespace within 10% of MEMORY USAGE', () => {
    const file = byName(fromFile);
    const off = live.namespaces
      .map((ns) => ({ ns: ns.name, live: ns.bytes, file: file.get(ns.name)!.bytes, error: Math.abs(file.get(ns.name)!.bytes - ns.bytes) / ns.bytes }))
      .filter((row) => row.error > 0.1);
    expect(off).toEqual([]);
  });

  it('the encodings the file reports per namespace are those OBJECT ENCODING gives', () => {
    for (const ns of fromFile.namespaces) expect({ ns: ns.name, encodings: ns.encodings }).toEqual({ ns: ns.name, encodings: encodingsLive.get(ns.name) });
  });

  it('the same findings (ids, severities, namespaces, key counts)', () => {
    const shape = (r: MemoryReport) => r.findings.map((f) => `${f.severity}:${f.id}:${f.namespace ?? '-'}:${f.keys}`).sort();
    expect(shape(fromFile)).toEqual(shape(live));
    expect(shape(live)).toContain('critical:ephemeral-without-ttl:user:session:{session_id}:10');
  });
});
