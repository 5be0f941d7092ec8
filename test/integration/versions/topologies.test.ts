import { describe, expect, it } from 'vitest';
import { startDeployment } from '../../helpers/redis.js';
import { testServers } from '../../helpers/servers.js';
import { Deployment } from '../../../src/core/redis/deployment.js';
import { runHealthChecks } from '../../../src/core/health/run.js';
import { isPortOpen } from '../../../src/core/local/ports.js';

/**
 * up / health / down for Sentinel and Cluster on every server of GRIDCTL_TEST_SERVERS (Valkey's
 * valkey-server / valkey-sentinel names, its INFO, its CLUSTER replies).
 */
for (const server of testServers()) {
  describe(`${server.name}: up, health, down`, () => {
    for (const topology of ['sentinel', 'cluster'] as const) {
      it(`${topology}: starts ready, health has no FAIL, down stops every process`, async () => {
        const d = await startDeployment({ topology, server, acl: true });
        try {
          const dep = await Deployment.open(d.spec);
          try {
            const report = await runHealthChecks(dep, {}, { samples: 3 });
            const fails = [...report.deployment, ...report.nodes.flatMap((n) => n.checks)].filter((c) => c.status === 'FAIL');
            expect(fails, JSON.stringify(fails)).toEqual([]);
            expect(report.nodes.length).toBe(6);
          } finally {
            await dep.close();
          }
        } finally {
          await d.stop();
        }
        const open = await Promise.all(d.state.nodes.map((n) => isPortOpen(n.port)));
        expect(open.filter(Boolean)).toEqual([]);
      }, 120_000);
    }
  });
}
