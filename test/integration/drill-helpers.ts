import { expect } from 'vitest';
import type { Redis, Cluster } from 'ioredis';
import type { TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';
import { isAlive } from '../../src/core/local/process.js';
import { newestVerifiedBackup } from '../../src/core/drill/backup-pick.js';
import { runRestoreDrill, type RestoreDrillReport } from '../../src/core/drill/restore-drill.js';

/** A few keys of each type the gateway uses, some with a TTL. */
export async function seed(c: Redis | Cluster): Promise<void> {
  for (let i = 0; i < 20; i++) await c.set(`user:session:s${i}`, `{"user_id":"u${i}"}`, 'EX', 3600);
  for (let i = 0; i < 10; i++) await c.hset(`order:o${i}`, 'data', `{"id":"o${i}"}`);
  await c.zadd('orderbook:buy', 0.15, '{"id":"b1"}', 0.16, '{"id":"b2"}');
  await c.rpush('list:jobs', 'a', 'b');
  await c.sadd('erc:user_certificates:u1', 'c1', 'c2');
  await c.xadd('stream:trades', '*', 'seq', '1');
  await c.set('market:current_epoch', '42');
}

export async function backupOf(t: TestDeployment, dir: string): Promise<string> {
  const dep = await Deployment.open(t.spec);
  try {
    await runLogicalBackup(dep.spec, async () => dep, { dir, mode: 'logical', namespaces: DEFAULT_NAMESPACES });
  } finally {
    await dep.close();
  }
  return dir;
}

export async function drill(dir: string, source?: TestDeployment): Promise<RestoreDrillReport> {
  return runRestoreDrill({
    backup: await newestVerifiedBackup(dir),
    namespaces: DEFAULT_NAMESPACES,
    sampleSize: 20,
    timeoutMs: 5000,
    ...(source ? { openSource: () => Deployment.open(source.spec) } : {}),
  });
}

export function expectAllGone(report: RestoreDrillReport): void {
  expect(report.throwaway.pids.length).toBeGreaterThan(0);
  expect(report.throwaway.pids.filter(isAlive)).toEqual([]);
}

