import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runHealthChecks } from '../../src/core/health/run.js';
import { stopProcess } from '../../src/core/local/process.js';
import type { HealthReport } from '../../src/core/health/types.js';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';

function check(report: HealthReport, address: string, name: string) {
  const node = address === 'deployment' ? { checks: report.deployment } : report.nodes.find((n) => n.address === address);
  return node?.checks.find((c) => c.check === name);
}

async function health(d: TestDeployment): Promise<HealthReport> {
  const dep = await Deployment.open(d.spec);
  try {
    return await runHealthChecks(dep, {}, { samples: 5 });
  } finally {
    await dep.close();
  }
}

describe('health on a standalone server with ACL users', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'standalone', acl: true, extraConfig: ['maxmemory 100mb', 'maxmemory-policy noeviction'] });
  });
  afterAll(() => d?.stop());

  it('passes, with the default user off and memory under the SLO', async () => {
    const report = await health(d);
    expect(report.summary.fail).toBe(0);
    const addr = report.nodes[0]!.address;
    expect(check(report, addr, 'default-user')?.status).toBe('PASS');
    expect(check(report, addr, 'memory')?.status).toBe('PASS');
    expect(check(report, addr, 'tls')?.status).toBe('WARN');
  });

  it('backup-freshness: PASS with a fresh backup in the backup dir, FAIL once it is older than slo.backupMaxAge', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-health-backups-'));
    const dep = await Deployment.open(d.spec);
    try {
      await runLogicalBackup(dep.spec, async () => dep, { dir, mode: 'logical', namespaces: DEFAULT_NAMESPACES });
      let report = await runHealthChecks(dep, {}, { samples: 2, backupDir: dir });
      expect(check(report, 'deployment', 'backup-freshness')?.status).toBe('PASS');
      await new Promise((r) => setTimeout(r, 20));
      report = await runHealthChecks(dep, { slo: { backupMaxAge: '10ms' } }, { samples: 2, backupDir: dir });
      expect(check(report, 'deployment', 'backup-freshness')?.status).toBe('FAIL');
      expect(report.summary.status).toBe('FAIL');
    } finally {
      await dep.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('WARNs above 70% of maxmemory and FAILs above 90%', async () => {
    const client = await d.client();
    try {
      const used = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
      // maxmemory just above used / 0.75 puts usage at ~75%; then at ~95%.
      await client.config('SET', 'maxmemory', String(Math.ceil(used / 0.75)));
      let report = await health(d);
      let memory = check(report, report.nodes[0]!.address, 'memory')!;
      expect(memory.status).toBe('WARN');
      expect(memory.metrics!.used_ratio).toBeGreaterThan(0.7);
      await client.config('SET', 'maxmemory', String(Math.ceil(used / 0.95)));
      report = await health(d);
      memory = check(report, report.nodes[0]!.address, 'memory')!;
      expect(memory.status).toBe('FAIL');
      expect(report.summary.status).toBe('FAIL');
    } finally {
      await client.config('SET', 'maxmemory', '100mb');
      client.disconnect();
    }
  });

  it('reports consumer-group lag and pending, and pub/sub subscribers', async () => {
    const client = await d.client();
    const sub = await d.client();
    try {
      for (let i = 0; i < 5; i++) await client.xadd('stream:trades', '*', 'n', String(i));
      await client.xgroup('CREATE', 'stream:trades', 'settler', '0');
      await client.xreadgroup('GROUP', 'settler', 'c1', 'COUNT', 2, 'STREAMS', 'stream:trades', '>');
      await (sub as import('ioredis').Redis).subscribe('market:events');
      const report = await health(d);
      const group = check(report, 'deployment', 'stream stream:trades group settler')!;
      expect(group.metrics).toMatchObject({ stream_pending: 2, stream_lag: 3 });
      expect(check(report, 'deployment', 'subscribers market:events')?.status).toBe('PASS');
      expect(check(report, 'deployment', 'subscribers system:alerts')?.status).toBe('WARN');
    } finally {
      client.disconnect();
      sub.disconnect();
    }
  });
});

describe('health as a least-privilege monitor user', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'standalone', acl: true });
    const admin = await d.client();
    // The documented monitor permissions, minus ACL GETUSER and XINFO, to prove missing ones become SKIP.
    await admin.call('ACL', 'SETUSER', 'monitor', 'on', '>monitor-password-123', 'resetkeys', '-@all', '+ping', '+info', '+acl|log', '+type', '+pubsub|numsub', '+cluster|info', '%R~stream:*');
    admin.disconnect();
  });
  afterAll(() => d?.stop());

  it('runs with the monitor permissions and turns what it may not run into SKIP', async () => {
    const dep = await Deployment.open({ ...d.spec, auth: { username: 'monitor', password: 'monitor-password-123' } });
    try {
      const client = dep.client as import('ioredis').Redis;
      await client.xadd('stream:trades', '*', 'n', '1').catch(() => undefined);
      const report = await runHealthChecks(dep, {}, { samples: 2 });
      const addr = report.nodes[0]!.address;
      expect(check(report, addr, 'reachable')?.status).toBe('PASS');
      expect(check(report, addr, 'memory')?.status).not.toBe('SKIP');
      expect(check(report, addr, 'default-user')?.status).toBe('PASS');
      expect(report.summary.fail).toBe(0);
    } finally {
      await dep.close();
    }
  });

  it('a user without INFO is a permission error (exit 4) naming the command', async () => {
    const admin = await d.client();
    await admin.call('ACL', 'SETUSER', 'noinfo', 'on', '>noinfo-password-123', '-@all', '+ping');
    admin.disconnect();
    const dep = await Deployment.open({ ...d.spec, auth: { username: 'noinfo', password: 'noinfo-password-123' } });
    try {
      await expect(runHealthChecks(dep, {}, { samples: 1 })).rejects.toMatchObject({ exitCode: 4 });
    } finally {
      await dep.close();
    }
  });
});

describe('health on a TLS-only server with mutual TLS', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'standalone', tls: true, acl: true });
  });
  afterAll(() => d?.stop());

  it('passes and reports the TLS connection', async () => {
    const report = await health(d);
    expect(report.summary.fail).toBe(0);
    expect(report.tls).toBe(true);
    expect(check(report, report.nodes[0]!.address, 'tls')?.status).toBe('PASS');
  });
});

describe('health on Sentinel (1 master, 2 replicas, 3 sentinels)', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'sentinel', acl: true });
  });
  afterAll(() => d?.stop());

  it('passes and sees every node', async () => {
    const report = await health(d);
    expect(report.summary.fail).toBe(0);
    expect(report.nodes.map((n) => n.role).sort()).toEqual(['master', 'replica', 'replica', 'sentinel', 'sentinel', 'sentinel']);
    expect(check(report, 'deployment', 'sentinel-agreement')?.status).toBe('PASS');
    for (const s of report.nodes.filter((n) => n.role === 'sentinel')) {
      expect(s.checks.find((c) => c.check === 'quorum')?.status).toBe('PASS');
    }
  });

  it('FAILs when a replica is stopped', async () => {
    const replica = d.state.nodes.find((n) => n.role === 'replica')!;
    await stopProcess(replica.pid);
    const report = await health(d);
    const node = report.nodes.find((n) => n.address === `${replica.host}:${replica.port}`)!;
    expect(node.checks[0]).toMatchObject({ check: 'reachable', status: 'FAIL' });
    expect(report.summary.status).toBe('FAIL');
  });
});

describe('health on Cluster (3 masters, 3 replicas)', () => {
  let d: TestDeployment;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'cluster', acl: true });
  });
  afterAll(() => d?.stop());

  it('passes, with cluster state ok on every node and every master replicated', async () => {
    const report = await health(d);
    expect(report.summary.fail).toBe(0);
    expect(report.nodes).toHaveLength(6);
    for (const n of report.nodes) expect(n.checks.find((c) => c.check === 'cluster')?.status).toBe('PASS');
    expect(check(report, 'deployment', 'cluster-replicas')?.status).toBe('PASS');
  });
});
