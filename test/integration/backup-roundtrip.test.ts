import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis, Cluster } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { runRestore } from '../../src/core/restore/restore.js';
import { runRdbBackup } from '../../src/core/backup/rdb-backup.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';
import { ArchiveWriter } from '../../src/core/backup/archive-writer.js';
import { encodeRecord } from '../../src/core/backup/record-codec.js';
import { crc64 } from '../../src/core/rdb/crc64.js';
import { keySlot } from '../../src/core/restore/crc16-slot.js';

/** Every type the gateway uses, binary and big values, TTLs, an order book and a stream with a group and pending entries. */
async function seedAllTypes(c: Redis | Cluster): Promise<void> {
  await c.set(Buffer.from([0x00, 0xff, 0x0a, 0x0d, 0x7b]), Buffer.from([0, 1, 2, 255, 254, 13, 10]));
  await c.set('blob:big', Buffer.alloc(3 * 1024 * 1024, 'x'));
  await c.set('user:session:s1', '{"user_id":"u1"}', 'EX', 3600);
  await c.set('market:current_epoch', '42');
  await c.hset('order:o1', 'data', '{"id":"o1","side":"Buy"}');
  await c.pexpire('order:o1', 86_400_000);
  const big: Record<string, string> = {};
  for (let i = 0; i < 600; i++) big[`f${i}`] = `v${i}`.repeat(10);
  await c.hset('user:profile:big', big);
  await c.rpush('list:small', 'a', 'b', 'c');
  await c.rpush('list:big', ...Array.from({ length: 2000 }, (_, i) => `item-${i}`));
  await c.sadd('set:small', '1', '2', '3');
  await c.sadd('set:big', ...Array.from({ length: 1000 }, (_, i) => `member-${i}`));
  for (const side of ['buy', 'sell']) {
    const args: string[] = [];
    for (let i = 0; i < 300; i++) args.push(String(0.1 + i / 1000), JSON.stringify({ id: `${side}-${i}`, side, price: (0.1 + i / 1000).toFixed(3), energy_amount: '12.5' }));
    await c.zadd(`orderbook:${side}`, ...args);
  }
  await c.zadd('zset:small', 1, 'a', 2, 'b');
  for (let i = 0; i < 50; i++) await c.xadd('stream:trades', '*', 'seq', String(i));
  await c.xgroup('CREATE', 'stream:trades', 'gateway', '0');
  await c.xreadgroup('GROUP', 'gateway', 'worker-1', 'COUNT', 10, 'STREAMS', 'stream:trades', '>');
  await c.pfadd('hll:visitors', ...Array.from({ length: 500 }, (_, i) => `v${i}`));
  await c.set('lock:short', 'token', 'PX', 400); // backed up, but expired by restore time: must be skipped
}

async function digestOf(t: TestDeployment): Promise<string[]> {
  const out: string[] = [];
  for (const n of t.state.nodes.filter((n) => n.role === 'master')) {
    const c = await t.node(n);
    out.push((await c.call('DEBUG', 'DIGEST')) as string);
    c.disconnect();
  }
  return out;
}

/** A topology-independent fingerprint: per key, DEBUG DIGEST-VALUE + type + whether it has a TTL. */
async function fingerprint(t: TestDeployment): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of t.state.nodes.filter((n) => n.role === 'master')) {
    const c = await t.node(n);
    let cursor = '0';
    do {
      const [next, keys] = (await c.scanBuffer(cursor, 'COUNT', 500)) as unknown as [Buffer, Buffer[]];
      cursor = next.toString();
      for (const k of keys) {
        const [digest, type, ttl] = await Promise.all([c.call('DEBUG', 'DIGEST-VALUE', k), c.type(k), c.pttl(k)]);
        out.set(k.toString('hex'), `${type}:${String(digest)}:${ttl > 0 ? 'ttl' : 'none'}`);
      }
    } while (cursor !== '0');
    c.disconnect();
  }
  return out;
}

async function flushAll(t: TestDeployment) {
  for (const n of t.state.nodes.filter((n) => n.role === 'master')) {
    const c = await t.node(n);
    await c.flushall();
    c.disconnect();
  }
}

describe('backup -> restore round trips (real servers)', () => {
  let standalone: TestDeployment;
  let standalone2: TestDeployment;
  let cluster: TestDeployment;
  let dir: string;
  const ctx = { yes: () => Promise.resolve(true) };

  beforeAll(async () => {
    [standalone, standalone2, cluster] = await Promise.all([
      startDeployment({ topology: 'standalone' }),
      startDeployment({ topology: 'standalone' }),
      startDeployment({ topology: 'cluster' }),
    ]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bk-'));
  });
  afterAll(async () => {
    await Promise.all([standalone?.stop(), standalone2?.stop(), cluster?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  async function backup(t: TestDeployment, sub: string) {
    const dep = await Deployment.open(t.spec);
    try {
      return await runLogicalBackup(dep.spec, async () => dep, { dir: path.join(dir, sub), mode: 'logical', namespaces: DEFAULT_NAMESPACES });
    } finally {
      await dep.close();
    }
  }
  async function restore(t: TestDeployment, file: string, onConflict: 'fail' | 'skip' | 'replace' = 'fail') {
    const dep = await Deployment.open(t.spec);
    try {
      return await runRestore(dep, { file, onConflict, dryRun: false, confirmNonEmpty: ctx.yes });
    } finally {
      await dep.close();
    }
  }

  it('standalone -> standalone: every type, DEBUG DIGEST equal, TTLs kept, expired keys skipped', async () => {
    const src = await standalone.client();
    await seedAllTypes(src);
    const report = await backup(standalone, 'std');
    expect(report.records).toBe(16);
    expect(report.countsByType).toMatchObject({ hash: 2, list: 2, set: 2, zset: 3, stream: 1 });
    expect(report.countsByNamespace['orderbook:buy']).toBe(1);
    const manifest = JSON.parse(await readFile(report.manifest, 'utf8'));
    expect(manifest.sha256 ?? manifest.files[0].sha256).toBe(report.sha256);
    await new Promise((r) => setTimeout(r, 450));
    const restored = await restore(standalone2, report.file);
    expect(restored.skippedExpired).toBe(1);
    expect(restored.ok).toBe(true);
    expect(restored.failed + restored.typeMismatches).toBe(0);
    expect(restored.sample.mismatched).toEqual([]);
    expect(await digestOf(standalone2)).toEqual(await digestOf(standalone));
    const dst = await standalone2.client();
    const ttl = await dst.pttl('user:session:s1');
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(await dst.pttl('market:current_epoch')).toBe(-1);
    const groups = (await dst.xinfo('GROUPS', 'stream:trades')) as unknown[][];
    expect(groups[0]).toContain('gateway');
    expect((await dst.xpending('stream:trades', 'gateway'))[0]).toBe(10);
    src.disconnect();
    dst.disconnect();
  });

  it('restore into the non-empty target: fail writes nothing and lists the keys; skip and replace behave', async () => {
    const files = (await readdir(path.join(dir, 'std'))).filter((f) => f.endsWith('.gbk'));
    const file = path.join(dir, 'std', files[0]!);
    const dst = await standalone2.client();
    await dst.set('market:current_epoch', 'changed');
    await dst.set('unrelated', '1');
    await dst.del('list:small');
    const before = await digestOf(standalone2);
    const err = await restore(standalone2, file, 'fail').then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'OPERATION_FAILED', exitCode: 1, message: expect.stringMatching(/^14 key\(s\) of the backup already exist in the target; nothing was written: /) });
    expect((err as { details: { keys: string[] } }).details.keys).toContain('market:current_epoch');
    expect(await digestOf(standalone2)).toEqual(before);
    const skip = await restore(standalone2, file, 'skip');
    expect(skip.restored).toBe(1); // only list:small was missing
    // The sample check covers only what this run wrote: the 14 kept keys (one of them changed) are not mismatches.
    expect(skip.sample).toMatchObject({ checked: 1, mismatched: [] });
    expect(skip.ok).toBe(true);
    expect(await dst.get('market:current_epoch')).toBe('changed');
    // Given the manifest beside the archive, restore reads the archive it names.
    const replace = await restore(standalone2, file.replace(/\.gbk$/, '.manifest.json'), 'replace');
    expect(replace.ok).toBe(true);
    expect(replace.file).toBe(file);
    expect(await dst.get('market:current_epoch')).toBe('42');
    dst.disconnect();
  });

  it('a payload from a newer Redis is refused with both versions named, before any write', async () => {
    const dst = await standalone2.client();
    await dst.set('probe', 'x');
    const payload = Buffer.from((await dst.dumpBuffer('probe'))!);
    payload.writeUInt16LE(12, payload.length - 10); // RDB 12 = Redis 7.4
    // A genuine newer payload carries a CRC-64 over its version too (a flipped version is damage, exit 6).
    const crc = crc64(payload, 0, payload.length - 8);
    payload.writeUInt32LE(crc.lo, payload.length - 8);
    payload.writeUInt32LE(crc.hi, payload.length - 4);
    const file = path.join(dir, 'future-payload.gbk');
    const w = await ArchiveWriter.create(file, { gridctlVersion: 't', mode: 'logical', topology: 'standalone', serverVersion: '7.4.1', masters: [], startedAt: new Date().toISOString() });
    await w.append(encodeRecord(0, Buffer.from('from-the-future'), -1, payload), 1);
    await w.finish({ string: 1 });
    const err = await restore(standalone2, file, 'replace').then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'USAGE', exitCode: 3 });
    expect((err as Error).message).toMatch(/^the backup \(server 7\.4\.1, RDB version 12\) is newer than the target Redis 7\.0\.15 reads \(RDB version 10 at most\) \(node .*\); nothing was written$/);
    expect(err).toMatchObject({ hint: expect.stringMatching(/Redis 7\.4 or newer/) });
    expect(await dst.exists('from-the-future')).toBe(0);
    await dst.del('probe');
    dst.disconnect();
  });

  it('an empty database backs up and restores to an empty database', async () => {
    await flushAll(standalone2);
    const report = await backup(standalone2, 'empty');
    expect(report.records).toBe(0);
    const r = await restore(standalone2, report.file);
    expect(r.restored).toBe(0);
    expect(r.target.keysAfter).toBe(0);
  });

  it('a format 1 archive (deflate frames, written by gridctl before Brotli) still verifies and restores', async () => {
    await flushAll(standalone2);
    const file = fileURLToPath(new URL('../fixtures/backup/format1.gbk', import.meta.url));
    const r = await restore(standalone2, file);
    expect(r.ok).toBe(true);
    expect(r.restored).toBe(8);
    const dst = await standalone2.client();
    expect(await dst.get('user:session:1')).toBe('{"user_id":"1"}');
    expect(await dst.call('PEXPIRETIME', 'token:balance:W1:GRX')).toBe(4102444800000);
    expect(await dst.hget('order:1', 'data')).toBe('{"id":"1","side":"Buy"}');
    expect(await dst.zrange('orderbook:buy', 0, -1)).toEqual(['b', 'a']);
    expect(Number(await dst.zscore('orderbook:buy', 'a'))).toBe(0.15);
    expect(await dst.lrange('list:x', 0, -1)).toEqual(['a', 'b', 'c']);
    expect((await dst.smembers('set:x')).sort()).toEqual(['1', '2', '3']);
    expect(await dst.xlen('stream:trades')).toBe(1);
    expect(await dst.pfcount('hll:x')).toBe(3);
    dst.disconnect();
    await flushAll(standalone2);
  });

  it('standalone -> cluster, cluster -> cluster and cluster -> standalone keep every value', async () => {
    const file = path.join(dir, 'std', (await readdir(path.join(dir, 'std'))).find((f) => f.endsWith('.gbk'))!);
    const expected = await fingerprint(standalone);
    const toCluster = await restore(cluster, file);
    expect(toCluster.ok).toBe(true);
    expect(toCluster.target.masters).toBe(3);
    expect(await fingerprint(cluster)).toEqual(expected);

    const clusterBackup = await backup(cluster, 'cluster');
    expect(clusterBackup.masters).toHaveLength(3);
    expect(clusterBackup.records).toBe(expected.size);
    await flushAll(cluster);
    const back = await restore(cluster, clusterBackup.file);
    expect(back.ok).toBe(true);
    expect(await fingerprint(cluster)).toEqual(expected);

    await flushAll(standalone2);
    const toStandalone = await restore(standalone2, clusterBackup.file);
    expect(toStandalone.ok).toBe(true);
    expect(await fingerprint(standalone2)).toEqual(expected);
    expect(await digestOf(standalone2)).toEqual(await digestOf(standalone));
  });

  it('a Cluster RDB backup (one RDB per master) restores into standalone through throwaway servers, as one archive', async () => {
    const expected = await fingerprint(cluster);
    const dep = await Deployment.open(cluster.spec);
    let manifest: string;
    try {
      const reports: Array<{ bytes: number; done: number; transfers: number }> = [];
      const r = await runRdbBackup(dep.spec, async () => dep, { dir: path.join(dir, 'cluster-rdb'), onTransfer: (p) => reports.push(p) });
      expect(r.masters).toHaveLength(3);
      // Progress: from nothing to every byte of the three transfers, never going back.
      expect(reports[0]).toEqual({ bytes: 0, done: 0, transfers: 3 });
      expect(reports.at(-1)).toEqual({ bytes: r.bytes, done: 3, transfers: 3 });
      for (let i = 1; i < reports.length; i++) {
        expect(reports[i]!.bytes).toBeGreaterThanOrEqual(reports[i - 1]!.bytes);
        expect(reports[i]!.done).toBeGreaterThanOrEqual(reports[i - 1]!.done);
      }
      manifest = r.manifest;
    } finally {
      await dep.close();
    }
    await flushAll(standalone2);
    const restored = await restore(standalone2, manifest);
    expect(restored).toMatchObject({ ok: true, file: manifest, failed: 0, source: { topology: 'cluster' } });
    expect(restored.restored).toBe(expected.size);
    expect(await fingerprint(standalone2)).toEqual(expected);
    expect(await digestOf(standalone2)).toEqual(await digestOf(standalone));
  });

  it('a slot that moves to another master during the restore: its keys are sent again to the new owner', async () => {
    // An archive of 40 keys in one slot ({moved}) and 40 spread over the others.
    const probe = await standalone2.client();
    await probe.set('payload:probe', 'restored-value');
    const payload = (await probe.dumpBuffer('payload:probe'))!;
    await probe.del('payload:probe');
    probe.disconnect();
    const file = path.join(dir, 'slot-move.gbk');
    const w = await ArchiveWriter.create(file, { gridctlVersion: 't', mode: 'logical', topology: 'standalone', serverVersion: '7.0.15', masters: [], startedAt: new Date().toISOString() });
    for (let i = 0; i < 40; i++) await w.append(Buffer.concat([encodeRecord(0, Buffer.from(`{moved}:${i}`), -1, payload), encodeRecord(0, Buffer.from(`spread:${i}`), -1, payload)]), 2);
    await w.finish({ string: 80 });

    const slot = keySlot('{moved}');
    const masters = await Promise.all(cluster.state.nodes.filter((n) => n.role === 'master').map(async (n) => {
      const c = await cluster.node(n);
      const id = (await c.call('CLUSTER', 'MYID')) as string;
      const shards = ((await c.call('CLUSTER', 'NODES')) as string).split('\n').find((l) => l.startsWith(id))!;
      const owns = shards.split(' ').slice(8).some((r) => {
        const [a, b] = r.split('-').map(Number);
        return slot >= a! && slot <= (b ?? a)!;
      });
      return { c, id, owns };
    }));
    const from = masters.find((m) => m.owns)!;
    const to = masters.find((m) => !m.owns)!;
    // The move happens after the restore read the slot map (the target is not empty, so it asks first).
    const moveSlot = async () => {
      await to.c.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', from.id);
      await from.c.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', to.id);
      for (const m of [to, from, ...masters.filter((x) => x !== to && x !== from)]) await m.c.call('CLUSTER', 'SETSLOT', slot, 'NODE', to.id);
    };
    const cc = await cluster.client();
    await cc.set('present:before-restore', '1'); // a non-empty target: the restore asks first (and the slot moves then)
    cc.disconnect();
    const dep = await Deployment.open(cluster.spec);
    try {
      const r = await runRestore(dep, { file, onConflict: 'fail', dryRun: false, confirmNonEmpty: async () => (await moveSlot(), true) });
      expect(r).toMatchObject({ ok: true, restored: 80, failed: 0, errors: [], sample: { mismatched: [] } });
    } finally {
      await dep.close();
    }
    expect(await to.c.get('{moved}:7')).toBe('restored-value');
    expect(await to.c.exists('{moved}:39')).toBe(1);
    for (const m of masters) m.c.disconnect();
  });

  it('a Cluster backup --from-replica reads one replica per master (READONLY) and holds what the masters hold', async () => {
    for (const n of cluster.state.nodes.filter((x) => x.role === 'master')) {
      const c = await cluster.node(n);
      await c.call('WAIT', 1, 5000); // the replicas have every write
      c.disconnect();
    }
    const expected = await fingerprint(cluster);
    const dep = await Deployment.open(cluster.spec);
    let report;
    try {
      report = await runLogicalBackup(dep.spec, async () => dep, { dir: path.join(dir, 'cluster-replicas'), mode: 'logical', namespaces: DEFAULT_NAMESPACES, fromReplica: true });
    } finally {
      await dep.close();
    }
    expect(report.masters.map((m) => m.role)).toEqual(['replica', 'replica', 'replica']);
    expect(new Set(report.masters.map((m) => m.from)).size).toBe(3);
    expect(report.records).toBe(expected.size);
    await flushAll(standalone2);
    const r = await restore(standalone2, report.file);
    expect(r.ok).toBe(true);
    expect(await fingerprint(standalone2)).toEqual(expected);
  });
});
