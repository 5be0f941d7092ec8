import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { newestVerifiedBackup } from '../../src/core/drill/backup-pick.js';
import { backupOf, drill, expectAllGone, seed } from './drill-helpers.js';
import type { Redis } from 'ioredis';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runRdbBackup } from '../../src/core/backup/rdb-backup.js';

describe('drill restore', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'gridctl-drill-it-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  describe('standalone', () => {
    let t: TestDeployment;
    let dir: string;
    beforeAll(async () => {
      t = await startDeployment({ topology: 'standalone' });
      const c = await t.client();
      await seed(c);
      c.disconnect();
      dir = await backupOf(t, path.join(work, 'standalone'));
    });
    afterAll(async () => t?.stop());

    it('passes on a good backup, compares a sample with the source, and leaves nothing running', async () => {
      const report = await drill(dir, t);
      expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.throwaway.topology).toBe('standalone');
      expect(report.restored).toBe(35);
      expect(report.restoreSeconds).toBeGreaterThan(0);
      const byCheck = Object.fromEntries(report.checks.map((c) => [c.check, c]));
      expect(byCheck['keys by type']!.status).toBe('PASS');
      expect(byCheck['keys by namespace']!.status).toBe('PASS');
      expect(byCheck['ttl']!.status).toBe('PASS');
      expect(byCheck['source-sample']!.actual).toMatch(/^20 same/);
      expectAllGone(report);
    });

    it('passes on an RDB backup: the types the RDB held against the restored server', async () => {
      const rdbDir = path.join(work, 'rdb');
      const dep = await Deployment.open(t.spec);
      try {
        // Redis waits 5 s for more replicas before a diskless transfer by default; a test need not.
        await (dep.client as Redis).config('SET', 'repl-diskless-sync-delay', '0');
        await runRdbBackup(dep.spec, async () => dep, { dir: rdbDir });
      } finally {
        await dep.close();
      }
      const report = await drill(rdbDir);
      expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
      expect(report).toMatchObject({ ok: true, restored: 35, backup: { mode: 'rdb' } });
      expect(report.checks.find((c) => c.check === 'keys by type')).toMatchObject({ status: 'PASS', actual: 'hash 10, list 1, set 1, stream 1, string 21, zset 1' });
      expectAllGone(report);
    });

    it('fails naming the mismatch when the manifest disagrees with the data', async () => {
      const picked = await newestVerifiedBackup(dir);
      const manifest = JSON.parse(await readFile(picked.manifestFile!, 'utf8'));
      manifest.countsByType.hash += 1;
      manifest.countsByNamespace['order:{order_id}'] += 1;
      const bad = path.join(work, 'bad');
      await rm(bad, { recursive: true, force: true });
      await cp(dir, bad, { recursive: true });
      await writeFile(path.join(bad, path.basename(picked.manifestFile!)), JSON.stringify(manifest));
      const report = await drill(bad);
      expect(report.ok).toBe(false);
      const failedChecks = report.checks.filter((c) => c.status === 'FAIL');
      expect(failedChecks.map((c) => c.check)).toEqual(['keys by type', 'keys by namespace']);
      expect(failedChecks[0]!.detail).toBe('hash: backup 11, restored 10');
      expect(failedChecks[1]!.detail).toBe('order:{order_id}: backup 11, restored 10');
      expectAllGone(report);
    });
  });
});
