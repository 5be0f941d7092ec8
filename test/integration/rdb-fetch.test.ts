import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execaSync } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { fetchRdb } from '../../src/core/backup/rdb-fetch.js';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';

/**
 * fetchRdb against a real server in both transfer kinds: diskless ($EOF:<mark>, the default for a
 * `gridctl up` node) and sized ($<length>, when the master writes an RDB file first). The data is a
 * few MiB of incompressible values, so the payload spans several of the receiver's 1 MiB batches.
 */
describe('fetchRdb: both transfer kinds from a real server', () => {
  let dep: TestDeployment;
  let admin: Redis;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridctl-rdb-fetch-test-'));
  beforeAll(async () => {
    dep = await startDeployment({ topology: 'standalone' });
    admin = (await dep.client()) as Redis;
    const pipeline = admin.pipeline();
    for (let i = 0; i < 3000; i++) pipeline.set(`blob:${i}`, randomBytes(1200));
    await pipeline.exec();
  }, 60_000);
  afterAll(async () => {
    await admin?.quit();
    await dep?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['eof-marker', 'sized'] as const) {
    it(`${kind}: the file is the whole RDB (redis-check-rdb passes, every key counted), its size and SHA-256 as reported, and no temp file is left`, async () => {
      await admin.config('SET', 'repl-diskless-sync', kind === 'sized' ? 'no' : 'yes');
      await admin.config('SET', 'repl-diskless-sync-delay', '0');
      const file = path.join(dir, `${kind}.rdb`);
      let progress = 0;
      const r = await fetchRdb(dep.spec, dep.spec.nodes[0]!, file, { onBytes: (n) => (progress = n) });
      expect(r.transfer).toBe(kind);
      const bytes = readFileSync(file);
      expect(bytes.length).toBe(r.bytes);
      expect(bytes.length).toBeGreaterThan(3 << 20);
      expect(progress).toBe(r.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
      const check = execaSync('redis-check-rdb', [file], { reject: false });
      expect(check.exitCode).toBe(0);
      expect(check.stdout).toMatch(/RDB looks OK/);
      expect(check.stdout).toMatch(/3000 keys read/);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }, 60_000);
  }

  it('writes that stall longer than the idle timeout pause the reading without failing it (the server was not idle; the client was)', async () => {
    await admin.config('SET', 'repl-diskless-sync', 'yes');
    const pipeline = admin.pipeline();
    for (let i = 0; i < 3000; i++) pipeline.set(`big:${i}`, randomBytes(8192)); // ~25 MB: more than the 16 MiB written behind
    await pipeline.exec();
    try {
      const file = path.join(dir, 'stalled.rdb');
      let stalls = 0;
      const r = await fetchRdb(dep.spec, dep.spec.nodes[0]!, file, {
        idleTimeoutMs: 300,
        onData: async () => {
          if (stalls++ === 0) await new Promise((resolve) => setTimeout(resolve, 1500));
        },
      });
      expect(r.bytes).toBeGreaterThan(24 << 20);
      const check = execaSync('redis-check-rdb', [file], { reject: false });
      expect(check.stdout).toMatch(/RDB looks OK/);
      expect(check.stdout).toMatch(/6000 keys read/);
    } finally {
      const del = admin.pipeline();
      for (let i = 0; i < 3000; i++) del.del(`big:${i}`);
      await del.exec();
    }
  }, 60_000);
});
