import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { startDeployments, type TestDeployment } from '../../helpers/redis.js';
import { hasHashFieldTtl, testServers, type TestServer } from '../../helpers/servers.js';
import { Deployment } from '../../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../../src/core/backup/backup.js';
import { runRdbBackup } from '../../../src/core/backup/rdb-backup.js';
import { verifyBackupFile } from '../../../src/core/backup/verify-backup.js';
import { verifyArchive } from '../../../src/core/backup/verify.js';
import { runRestore } from '../../../src/core/restore/restore.js';
import { startThrowawayServer } from '../../../src/core/local/throwaway-server.js';
import { DEFAULT_NAMESPACES } from '../../../src/core/config/defaults.js';

/** Every type and the encodings that changed between versions (listpack sets on 7.2+), TTLs, a stream group. */
async function seed(c: Redis, server: TestServer): Promise<void> {
  await c.set('user:session:s1', '{"user_id":"u1"}', 'EX', 3600);
  await c.set('market:current_epoch', '42');
  await c.hset('order:o1', 'data', '{"id":"o1"}');
  const big: Record<string, string> = {};
  for (let i = 0; i < 600; i++) big[`f${i}`] = `v${i}`;
  await c.hset('user:profile:big', big);
  await c.rpush('list:small', 'a', 'b');
  await c.rpush('list:big', ...Array.from({ length: 1000 }, (_, i) => `item-${i}`));
  await c.sadd('set:ints', '1', '2', '3');
  await c.sadd('set:strings', 'a', 'b', 'c');
  await c.sadd('set:big', ...Array.from({ length: 600 }, (_, i) => `m-${i}`));
  await c.zadd('orderbook:buy', 0.1, 'a', 0.2, 'b');
  await c.zadd('zset:big', ...Array.from({ length: 300 }, (_, i) => [i, `z-${i}`]).flat());
  for (let i = 0; i < 30; i++) await c.xadd('stream:trades', '*', 'seq', String(i));
  await c.xgroup('CREATE', 'stream:trades', 'gateway', '0');
  await c.xreadgroup('GROUP', 'gateway', 'w1', 'COUNT', 5, 'STREAMS', 'stream:trades', '>');
  await c.pfadd('hll:visitors', 'a', 'b', 'c');
  if (hasHashFieldTtl(server)) {
    await c.hset('user:profile:hfe', 'token', 't', 'name', 'n');
    await c.call('HEXPIRE', 'user:profile:hfe', 3600, 'FIELDS', 1, 'token');
  }
}

async function digest(t: TestDeployment): Promise<string> {
  const c = (await t.client()) as Redis;
  try {
    return (await c.call('DEBUG', 'DIGEST')) as string;
  } finally {
    c.disconnect();
  }
}

/**
 * Backup (both modes) -> verify -> restore into a second server of the same build, on every server
 * of GRIDCTL_TEST_SERVERS: DEBUG DIGEST equal, hash-field TTLs kept on Redis 7.4+.
 */
for (const server of testServers()) {
  describe(`${server.name}: backup, verify, restore`, () => {
    let src: TestDeployment;
    let dst: TestDeployment;
    let dir: string;
    const pathBefore = process.env.PATH;
    const confirmNonEmpty = () => Promise.resolve(true);
    async function withDeployment<T>(t: TestDeployment, fn: (d: Deployment) => Promise<T>): Promise<T> {
      const d = await Deployment.open(t.spec);
      try {
        return await fn(d);
      } finally {
        await d.close();
      }
    }
    async function restoreAndCompare(file: string) {
      const c = (await dst.client()) as Redis;
      await c.flushall();
      const r = await withDeployment(dst, (d) => runRestore(d, { file, onConflict: 'fail', dryRun: false, confirmNonEmpty }));
      expect(r.ok).toBe(true);
      expect(await digest(dst)).toBe(await digest(src));
      if (hasHashFieldTtl(server)) expect(((await c.call('HTTL', 'user:profile:hfe', 'FIELDS', 2, 'token', 'name')) as number[]).map((t) => t > 0)).toEqual([true, false]);
      c.disconnect();
      // Both sides as the servers name themselves: a Valkey by its own version, not its redis_version 7.2.4.
      expect(r.source).toMatchObject(named);
      expect(r.target).toMatchObject(named);
    }
    const named = { engine: server.engine, serverVersion: server.version };

    beforeAll(async () => {
      [src, dst] = await startDeployments({ topology: 'standalone', server }, { topology: 'standalone', server });
      dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-versions-bk-'));
      const c = (await src.client()) as Redis;
      await seed(c, server);
      c.disconnect();
    });
    afterAll(async () => {
      process.env.PATH = pathBefore;
      await Promise.all([src?.stop(), dst?.stop()]);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('an RDB backup checked by whatever check-rdb is on PATH is never called corrupt for being newer', async () => {
      const r = await withDeployment(src, (d) => runRdbBackup(d.spec, async () => d, { dir: path.join(dir, 'rdb-path') }));
      expect(r.records).toBeGreaterThan(0);
      const v = await verifyBackupFile(r.manifest);
      expect(v.kind === 'rdb-backup' && v.files[0]!.check.ok).toBe(true);
    });

    describe(`with ${server.name}'s own binaries first on PATH`, () => {
      beforeAll(() => {
        process.env.PATH = `${server.dir}${path.delimiter}${pathBefore}`;
      });

      it('logical: backup records engine and versions, verifies, and restores digest-equal', async () => {
        const r = await withDeployment(src, (d) => runLogicalBackup(d.spec, async () => d, { dir: path.join(dir, 'logical'), mode: 'logical', namespaces: DEFAULT_NAMESPACES }));
        const manifest = JSON.parse(await readFile(r.manifest, 'utf8'));
        expect(manifest.source).toMatchObject({ engine: server.engine, version: server.version });
        expect(manifest.serverVersion).toBe(server.version);
        expect(r.masters[0]).toMatchObject(named);
        const verified = await verifyArchive(r.file);
        expect(verified.ok).toBe(true);
        expect(verified.header).toMatchObject(named);
        await restoreAndCompare(r.file);
      });

      it('rdb: backup, verify with the matching check-rdb, restore through a throwaway server of the same build', async () => {
        const r = await withDeployment(src, (d) => runRdbBackup(d.spec, async () => d, { dir: path.join(dir, 'rdb') }));
        const manifest = JSON.parse(await readFile(r.manifest, 'utf8'));
        expect(manifest.source).toMatchObject({ engine: server.engine, version: server.version });
        const v = await verifyBackupFile(r.manifest);
        expect(v.kind === 'rdb-backup' && v.files[0]!.check).toMatchObject({ ok: true, tool: 'redis-check-rdb' });
        expect(r.masters[0]).toMatchObject(named);
        const throwaway = await startThrowawayServer(v.kind === 'logical' ? '' : v.files[0]!.file, { timeoutMs: 10_000 });
        await throwaway.stop();
        expect(throwaway).toMatchObject(named);
        await restoreAndCompare(r.manifest);
      });
    });
  });
}
