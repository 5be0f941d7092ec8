import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Cluster } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import type { LocalNode } from '../../src/core/local/state.js';

/**
 * After a failover the old master stays in CLUSTER NODES as `master,fail` with no slots until it
 * is restarted: runs that do not need it must not fail on it. Then, with a master and its replica
 * both gone, some slots have no node: a report must say it covers part of the Cluster.
 */

let d: TestDeployment;
let cwd: string;
let dead: LocalNode;
let promoted: LocalNode;

const addr = (n: LocalNode) => `${n.host}:${n.port}`;
const gridctl = (args: string[]) => runCli([...args, '--url', `redis://${addr(survivor())}`, '--json'], { cwd });
/** A master that stays up throughout. */
const survivor = () => d.state.nodes.filter((n) => n.role === 'master' && n !== dead).at(-1)!;

async function clusterNodes(): Promise<string> {
  const c = await d.node(survivor());
  try {
    return String(await c.call('CLUSTER', 'NODES'));
  } finally {
    c.disconnect();
  }
}

/** Poll until `what` holds; the deadline only bounds a broken cluster, nothing is measured. */
async function until(what: () => Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('the cluster did not reach the expected state');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** CLUSTER NODES by address: id, flags, the master followed, slot ranges. */
async function nodeTable(): Promise<Map<string, { id: string; flags: string[]; masterId: string; slots: number }>> {
  const table = new Map<string, { id: string; flags: string[]; masterId: string; slots: number }>();
  for (const line of (await clusterNodes()).trim().split('\n')) {
    const f = line.split(' ');
    table.set(f[1]!.split('@')[0]!, { id: f[0]!, flags: f[2]!.split(','), masterId: f[3]!, slots: f.length - 8 });
  }
  return table;
}

function kill(n: LocalNode): void {
  process.kill(n.pid, 'SIGKILL');
}

beforeAll(async () => {
  d = await startDeployment({ topology: 'cluster' });
  cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-failover-'));
  const c = (await d.client()) as Cluster;
  for (let i = 0; i < 200; i++) await c.set(`user:profile:${i}`, 'x');
  c.disconnect();
  dead = d.state.nodes.find((n) => n.role === 'master')!;
  const before = await nodeTable();
  promoted = d.state.nodes.find((n) => before.get(addr(n))?.masterId === before.get(addr(dead))!.id)!;
  // The replica must hold the shard before its master dies: on a loaded machine its first sync can still be running.
  const master = await d.node(dead);
  await until(async () => {
    const info = String(await master.call('INFO', 'replication'));
    const acked = /slave0:.*,offset=(\d+)/.exec(info)?.[1];
    return acked !== undefined && Number(acked) >= Number(/master_repl_offset:(\d+)/.exec(info)![1]);
  });
  master.disconnect();
  kill(dead);
  await until(async () => {
    const now = await nodeTable();
    return now.get(addr(dead))!.flags.includes('fail') && now.get(addr(promoted))!.flags.includes('master') && now.get(addr(promoted))!.slots > 0;
  });
  const info = await d.node(survivor());
  await until(async () => /cluster_state:ok/.test(String(await info.call('CLUSTER', 'INFO'))));
  info.disconnect();
}, 120_000);
afterAll(async () => {
  await d?.stop();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

describe('a failed master that owns no slots after a failover', () => {
  it.each([
    ['logical backup', ['backup', '--dir', 'b-logical']],
    ['RDB backup', ['backup', '--mode', 'rdb', '--dir', 'b-rdb']],
    ['backup --dry-run', ['backup', '--dry-run', '--dir', 'b-plan']],
  ])('%s succeeds, covers every slot, and lists the failed node', async (_name, args) => {
    const r = await gridctl(args);
    expect(r.exitCode, r.stderr + r.stdout.slice(0, 300)).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.coverage).toMatchObject({ topology: 'cluster', complete: true, slots: { covered: 16384 } });
    expect(report.coverage.excluded).toEqual([{ address: addr(dead), role: 'master', flags: ['fail'] }]);
    if (report.records !== undefined || report.keys !== undefined) expect(report.records ?? report.keys).toBe(200);
  });

  it('health reports it as a WARN of the cluster, not as an unreachable node', async () => {
    const r = await gridctl(['health']);
    const report = JSON.parse(r.stdout);
    expect(report.nodes.map((n: { address: string }) => n.address)).not.toContain(addr(dead));
    const check = report.deployment.find((c: { check: string }) => c.check === 'cluster-replicas');
    expect(check.status).toBe('WARN');
    expect(check.value).toContain(`failed, owning no slots: ${addr(dead)} (master, fail)`);
    expect(report.coverage.complete).toBe(true);
  });
});

describe('slots without any node (a master and its replica both gone)', () => {
  beforeAll(async () => {
    kill(promoted);
    await until(async () => (await nodeTable()).get(addr(promoted))!.flags.includes('fail'));
  }, 120_000);

  it('health says it covers part of the Cluster, in JSON and on stderr', async () => {
    const r = await gridctl(['health']);
    const report = JSON.parse(r.stdout);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(report.coverage.complete).toBe(false);
    expect(report.coverage.nodes).not.toContain(addr(promoted));
    expect(report.coverage.slots.covered).toBeLessThan(16384);
    expect(report.coverage.gaps.join(' ')).toContain(addr(promoted));
    expect(r.stderr).toMatch(/partial cluster coverage/);
  });

  it('memory refuses to present a part as the whole: it fails naming the node', async () => {
    const r = await gridctl(['memory']);
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toContain(addr(promoted));
  });
});
