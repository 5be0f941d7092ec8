import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis, Cluster } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';
import { isAlive } from '../../src/core/local/process.js';
import { newestVerifiedBackup } from '../../src/core/drill/backup-pick.js';
import { runRestoreDrill, type RestoreDrillReport } from '../../src/core/drill/restore-drill.js';

/** A few keys of each type the gateway uses, some with a TTL. */
async function seed(c: Redis | Cluster): Promise<void> {
  for (let i = 0; i < 20; i++) await c.set(`user:session:s${i}`, `{"user_id":"u${i}"}`, 'EX', 3600);
  for (let i = 0; i < 10; i++) await c.hset(`order:o${i}`, 'data', `{"id":"o${i}"}`);
  await c.zadd('orderbook:buy', 0.15, '{"id":"b1"}', 0.16, '{"id":"b2"}');
  await c.rpush('list:jobs', 'a', 'b');
  await c.sadd('erc:user_certificates:u1', 'c1', 'c2');
  await c.xadd('stream:trades', '*', 'seq', '1');
  await c.set('market:current_epoch', '42');
}

async function backupOf(t: TestDeployment, dir: string): Promise<string> {
  const dep = await Deployment.open(t.spec);
  try {
    await runLogicalBackup(dep.spec, async () => dep, { dir, mode: 'logical', namespaces: DEFAULT_NAMESPACES });
  } finally {
    await dep.close();
  }
  return dir;
}

async function drill(dir: string, source?: TestDeployment): Promise<RestoreDrillReport> {
  return runRestoreDrill({
    backup: await newestVerifiedBackup(dir),
    namespaces: DEFAULT_NAMESPACES,
    sampleSize: 20,
    timeoutMs: 5000,
    ...(source ? { openSource: () => Deployment.open(source.spec) } : {}),
  });
}

function expectAllGone(report: RestoreDrillReport): void {
  expect(report.throwaway.pids.length).toBeGreaterThan(0);
  expect(report.throwaway.pids.filter(isAlive)).toEqual([]);
}

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

  for (const topology of ['sentinel', 'cluster'] as const) {
    it(`passes on a good backup of a ${topology} deployment, restored into a throwaway ${topology}`, async () => {
      const t = await startDeployment({ topology });
      let report: RestoreDrillReport;
      try {
        const c = await t.client();
        await seed(c);
        c.disconnect();
        report = await drill(await backupOf(t, path.join(work, topology)), t);
      } finally {
        await t.stop();
      }
      expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.throwaway.topology).toBe(topology);
      expect(report.throwaway.processes).toBe(6);
      expect(report.restored).toBe(35);
      expectAllGone(report);
    });
  }
});
