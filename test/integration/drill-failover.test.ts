import { describe, it, expect } from 'vitest';
import { startDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runHealthChecks } from '../../src/core/health/run.js';
import { runFailoverDrill, type FailoverDrillOptions } from '../../src/core/drill/failover-drill.js';
import { isAlive } from '../../src/core/local/process.js';

/** Short phases: a drill of a few seconds that still spans the failover. */
const QUICK: Omit<FailoverDrillOptions, 'confirm'> = { dryRun: false, failback: false, warmupMs: 300, settleMs: 300, failoverTimeoutMs: 20_000, writesPerSecond: 100, waitTimeoutMs: 500 };

describe('drill failover', () => {
  for (const topology of ['sentinel', 'cluster'] as const) {
    it(`fails a gridctl up ${topology} deployment over with 0 acknowledged writes lost and leaves it healthy`, async () => {
      const t = await startDeployment({ topology });
      const pids = t.state.nodes.map((n) => n.pid);
      try {
        const dep = await Deployment.open(t.spec);
        try {
          let asked = 0;
          const report = await runFailoverDrill(dep, { ...QUICK, confirm: async () => (asked++, true) });
          expect(asked).toBe(1);
          expect(report.phases).toHaveLength(1);
          const phase = report.phases[0]!;
          expect(phase.to).toBeDefined();
          expect(phase.to).not.toBe(phase.from);
          expect(phase.failoverSeconds).toBeGreaterThan(0);
          expect(phase.writesBackAfterSeconds).toBeGreaterThan(0);
          expect(report.writer.acknowledged).toBeGreaterThan(0);
          expect(report.lostAcknowledged).toBe(0);
          expect(report.allReconnected).toBe(true);
          expect(report.healthyAfter).toMatchObject({ healthy: true });
          expect(report.ok).toBe(true);
          expect(report.changes.at(-1)).toMatch(/^deleted the \d+ drill keys$/);
        } finally {
          await dep.close();
        }
        const after = await Deployment.open(t.spec);
        try {
          const health = await runHealthChecks(after, {});
          const replication = health.nodes.flatMap((n) => n.checks).filter((c) => c.check === 'replication' || c.check.startsWith('sentinel') || c.check.startsWith('cluster'));
          expect(replication.filter((c) => c.status === 'FAIL')).toEqual([]);
          expect(health.deployment.filter((c) => (c.check === 'sentinel-agreement' || c.check === 'cluster-replicas') && c.status !== 'PASS')).toEqual([]);
        } finally {
          await after.close();
        }
      } finally {
        await t.stop();
      }
      expect(pids.filter(isAlive)).toEqual([]);
    });
  }
});
