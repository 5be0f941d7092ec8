import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runHealthChecks } from '../../src/core/health/run.js';
import { runFailoverDrill, type FailoverDrillOptions, type FailoverDrillReport } from '../../src/core/drill/failover-drill.js';
import { planFailover, waitHealthy } from '../../src/core/drill/failover-trigger.js';
import { isAlive } from '../../src/core/local/process.js';
import { backupOf, drill, expectAllGone, seed } from './drill-helpers.js';

/** Short phases: a drill of a few seconds that still spans the failover. */
const QUICK: Omit<FailoverDrillOptions, 'confirm'> = { dryRun: false, failback: false, warmupMs: 300, settleMs: 300, failoverTimeoutMs: 20_000, writesPerSecond: 100, waitTimeoutMs: 500 };

async function failover(t: TestDeployment, opts: Partial<FailoverDrillOptions> = {}): Promise<FailoverDrillReport> {
  const dep = await Deployment.open(t.spec);
  try {
    return await runFailoverDrill(dep, { ...QUICK, confirm: async () => true, ...opts });
  } finally {
    await dep.close();
  }
}

function expectFailedOverCleanly(report: FailoverDrillReport, phases = 1): void {
  expect(report.phases).toHaveLength(phases);
  for (const phase of report.phases) {
    expect(phase.to).toBeDefined();
    expect(phase.to).not.toBe(phase.from);
    expect(phase.failoverSeconds).toBeGreaterThan(0);
    expect(phase.writesBackAfterSeconds).toBeGreaterThan(0);
  }
  expect(report.writer.acknowledged).toBeGreaterThan(0);
  expect(report.lostAcknowledged).toBe(0);
  expect(report.allReconnected).toBe(true);
  expect(report.healthyAfter, report.healthyAfter.detail).toMatchObject({ healthy: true });
  expect(report.ok).toBe(true);
  expect(report.changes.at(-1)).toMatch(/^deleted the \d+ drill keys$/);
}

/** The deployment as `gridctl health` sees it afterwards: replication and topology without a FAIL. */
async function expectHealthy(t: TestDeployment): Promise<void> {
  const dep = await Deployment.open(t.spec);
  try {
    const health = await runHealthChecks(dep, {});
    expect(health.nodes.flatMap((n) => n.checks).filter((c) => ['reachable', 'replication', 'cluster', 'master', 'quorum'].includes(c.check) && c.status === 'FAIL')).toEqual([]);
    expect(health.deployment.filter((c) => (c.check === 'sentinel-agreement' || c.check === 'cluster-replicas') && c.status !== 'PASS')).toEqual([]);
    expect(await (dep.client as { keys(p: string): Promise<string[]> }).keys('drill:*')).toEqual([]);
  } finally {
    await dep.close();
  }
}

/** The last lines of every node's log: what the sentinels did when a drill leaves the deployment unhealthy. */
async function logTails(t: TestDeployment): Promise<string> {
  const tails = await Promise.all(t.state.nodes.map(async (n) => {
    const lines = (await readFile(n.logFile, 'utf8').catch(() => '')).trimEnd().split('\n');
    return `--- ${n.role} ${n.port}\n${lines.slice(-25).join('\n')}`;
  }));
  return tails.join('\n');
}

/** One deployment per topology for both drills: the backup restored into a throwaway twin, then failed over. */
for (const topology of ['sentinel', 'cluster'] as const) {
  describe(`drill on a gridctl up ${topology} deployment`, () => {
    let t: TestDeployment;
    let work: string;
    let pids: number[];
    beforeAll(async () => {
      work = await mkdtemp(path.join(os.tmpdir(), `gridctl-drill-${topology}-`));
      t = await startDeployment({ topology });
      pids = t.state.nodes.map((n) => n.pid);
      const c = await t.client();
      await seed(c);
      c.disconnect();
    });
    afterAll(async () => {
      await t?.stop();
      await rm(work, { recursive: true, force: true });
      expect(pids.filter(isAlive)).toEqual([]);
    });

    it(`drill restore passes on a good backup, restored into a throwaway ${topology}`, async () => {
      const report = await drill(await backupOf(t, work), t);
      expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.throwaway).toMatchObject({ topology, processes: 6 });
      expect(report.restored).toBe(35);
      expect(report.checks.find((c) => c.check === 'source-sample')?.actual).toMatch(/^20 same/);
      expectAllGone(report);
    });

    it('drill failover --dry-run and a declined prompt change nothing', async () => {
      const masters = async () => {
        const dep = await Deployment.open(t.spec);
        try {
          return (await dep.discover()).filter((n) => n.role === 'master').map((n) => n.address).sort();
        } finally {
          await dep.close();
        }
      };
      const before = await masters();
      const dry = await failover(t, { dryRun: true, confirm: async () => { throw new Error('asked in a dry run'); } });
      expect(dry).toMatchObject({ dryRun: true, phases: [], changes: [] });
      expect(before).toContain(dry.plan.master);
      await expect(failover(t, { confirm: async () => false })).rejects.toMatchObject({ code: 'CANCELLED', exitCode: 2 });
      expect(await masters()).toEqual(before);
    });

    // First: a Sentinel does not fail the same master over again within 2 x failover-timeout (20 s here)
    // of its last failover; SENTINEL FAILOVER, forced, is not held back by that.
    if (topology === 'sentinel') {
      it('drill failover --kill: the master SIGKILLed, the sentinels fail over, it is restarted as a replica, nothing lost', async () => {
        // A killed master is only noticed after down-after-milliseconds: on a loaded machine the sentinels'
        // vote and the writer's reconnection can take longer than a forced failover, so the bound is wider.
        const report = await failover(t, { kill: t.state, failoverTimeoutMs: 45_000 });
        try {
          expectFailedOverCleanly(report);
        } catch (err) {
          (err as Error).message += `\n${JSON.stringify({ ...report, plan: undefined }, null, 1)}\n${await logTails(t)}`;
          throw err;
        }
        expect(report.phases[0]!.method).toBe('SIGKILL');
        expect(report.changes.filter((c) => c.startsWith('killed the master ') || c.startsWith('started '))).toHaveLength(2);
        // Started as the new master's replica: never a writable master that a lagging sentinel could point a client at.
        const { from, to } = report.phases[0]!;
        expect(report.changes).toContainEqual(expect.stringMatching(new RegExp(`^started ${from} again \\(pid \\d+\\) as a replica of ${to}$`)));
        // The restarted node runs under a new pid, recorded for `gridctl down` (and the afterAll check).
        pids = t.state.nodes.map((n) => n.pid);
        await expectHealthy(t);
      });
    }

    it('drill failover reports a failover time, 0 acknowledged writes lost, and leaves the deployment healthy', async () => {
      let asked = 0;
      // Cluster: there and back (--failback) in one drill, so that no manual failover of the same
      // shard follows another within 2 x cluster-node-timeout (masters would not vote again yet).
      const report = await failover(t, { confirm: async () => (asked++, true), failback: topology === 'cluster' });
      expect(asked).toBe(1);
      expectFailedOverCleanly(report, topology === 'cluster' ? 2 : 1);
      expect(report.phases.map((p) => p.method)).toEqual(topology === 'sentinel' ? ['SENTINEL FAILOVER'] : ['CLUSTER FAILOVER', 'CLUSTER FAILOVER']);
      if (topology === 'cluster') expect(report.phases[1]!.to).toBe(report.phases[0]!.from);
      await expectHealthy(t);
    });

    it('health after a drill is judged on the master the deployment has, when it is not the one the drill promoted', async () => {
      const dep = await Deployment.open(t.spec);
      try {
        const plan = await planFailover(dep, 'drill:{x}:', false);
        // As after a second, unplanned failover: the drill's "new master" is a replica by now.
        const health = await waitHealthy(t.spec, plan, plan.replicas[0]!, Date.now() + 20_000);
        expect(health).toMatchObject({ healthy: true, master: plan.master });
      } finally {
        await dep.close();
      }
    });
  });
}
