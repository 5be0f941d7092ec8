import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { listLocks } from '../../src/core/lock/list.js';
import { SingleInstanceLock } from '../../src/core/lock/single-lock.js';
import { acquireWithWait } from '../../src/core/lock/acquire.js';

let dep: TestDeployment;
let deployment: Deployment;

beforeAll(async () => {
  dep = await startDeployment({ topology: 'cluster' });
  deployment = await Deployment.open(dep.spec);
});
afterAll(async () => {
  await deployment?.close();
  await dep?.stop();
});

describe('lock list across a 3-master cluster', () => {
  it('finds the locks on every master and names the node holding each', async () => {
    const cluster = deployment.client as Cluster;
    for (let i = 0; i < 30; i++) await cluster.set(`lock:order_matching:SYM${i}`, `token-${i}`, 'EX', 60);
    await cluster.set('lock:stuck', 'x');
    const report = await listLocks(deployment, { patterns: ['lock:*'], prefix: 'lock:', expiringBelowMs: 5000 });
    expect(report.masters).toHaveLength(3);
    expect(report.summary.total).toBe(31);
    expect(report.summary.stuck).toBe(1);
    const nodes = new Set(report.locks.map((l) => l.node));
    expect(nodes).toEqual(new Set(report.masters));
    const tokens = report.locks.map((l) => l.token).sort();
    expect(tokens).toContain('token-29');
  });

  it('acquire and release route to the slot owner', async () => {
    const backend = new SingleInstanceLock(deployment, 'lock:settlement_processing');
    const a = await acquireWithWait(backend, { ttlMs: 5000, waitMs: 0 });
    expect(await (deployment.client as Cluster).get('lock:settlement_processing')).toBe(a.token);
    expect((await backend.release(a.token)).released).toBe(true);
  });
});
