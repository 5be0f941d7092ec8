import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { seedBook } from '../unit/orderbook/book-fixture.js';

/**
 * Every live command, reached the two ways an operator points at a deployment without a config:
 * `--sentinel host:port,...` alone (the default master name), and `--url` to one node of a
 * Cluster (a replica). Each must find the whole deployment and say so in its JSON `coverage`.
 */

interface Target {
  name: 'sentinel' | 'cluster';
  dep: TestDeployment;
  /** The flags that point at it: nothing else (no gridctl.yaml, no run dir, no REDIS_URL). */
  connection: string[];
  /** The data nodes holding the whole keyspace: the Sentinel master, or every Cluster master. */
  masters: string[];
  cwd: string;
  backupFile: string;
}

interface Row {
  command: string;
  args: (t: Target) => string[];
  /** Exit codes the command may end with on these deployments (health FAILs a password-less default user). */
  exit: number[];
  /** check --live compares one master's running config: on a Cluster that is part of it. */
  oneMaster?: boolean;
  /** Extra checks on the JSON report against the whole keyspace (`keys`: DBSIZE over the masters just before). */
  whole?: (report: Record<string, unknown>, keys: number) => void;
}

const ROWS: Row[] = [
  { command: 'health', args: () => ['health'], exit: [0, 1] },
  { command: 'memory', args: () => ['memory'], exit: [0, 1], whole: (r, keys) => expect((r.totals as { keys: number }).keys).toBe(keys) },
  { command: 'lock list', args: () => ['lock', 'list'], exit: [0], whole: (r) => expect((r.locks as unknown[]).length).toBeGreaterThanOrEqual(3) },
  { command: 'lock inspect', args: () => ['lock', 'inspect', 'seeded'], exit: [0] },
  { command: 'lock acquire', args: () => ['lock', 'acquire', 'fresh', '--ttl', '30s'], exit: [0] },
  { command: 'lock extend', args: () => ['lock', 'extend', 'seeded', '--token', 'tok-seeded', '--ttl', '60s'], exit: [0] },
  { command: 'lock release', args: () => ['lock', 'release', 'to-release', '--token', 'tok-release'], exit: [0] },
  { command: 'lock release --force', args: () => ['lock', 'release', 'to-force', '--force', '--yes', '--reason', 'matrix test'], exit: [0] },
  { command: 'lock run', args: () => ['lock', 'run', 'runner', '--ttl', '5s', '--', 'true'], exit: [0] },
  { command: 'orderbook inspect', args: () => ['orderbook', 'inspect'], exit: [0] },
  { command: 'orderbook snapshot', args: (t) => ['orderbook', 'snapshot', '--out', path.join(t.cwd, 'book.json')], exit: [0] },
  { command: 'backup', args: (t) => ['backup', '--dir', path.join(t.cwd, 'backups-logical')], exit: [0], whole: (r, keys) => expect(r.records).toBe(keys) },
  { command: 'backup --dry-run', args: (t) => ['backup', '--dry-run', '--dir', path.join(t.cwd, 'backups-plan')], exit: [0], whole: (r, keys) => expect(r.keys).toBe(keys) },
  { command: 'backup --mode rdb', args: (t) => ['backup', '--mode', 'rdb', '--dir', path.join(t.cwd, 'backups-rdb')], exit: [0] },
  { command: 'restore', args: (t) => ['restore', t.backupFile, '--on-conflict', 'replace', '--yes'], exit: [0] },
  { command: 'check --live', args: (t) => ['check', t.dep.state.nodes.find((n) => n.role === 'master')!.configFile, '--live'], exit: [0, 1], oneMaster: true },
];

const targets: Target[] = [];

async function seed(client: Redis | Cluster): Promise<void> {
  for (let i = 0; i < 300; i++) await client.set(`user:profile:${i}`, `p${i}`);
  await client.set('lock:seeded', 'tok-seeded', 'PX', 600_000);
  await client.set('lock:to-release', 'tok-release', 'PX', 600_000);
  await client.set('lock:to-force', 'tok-force', 'PX', 600_000);
  await seedBook(client, 'orderbook');
}

/** DBSIZE summed over the nodes that hold the data (each key lives on exactly one master). */
async function keyCount(t: Pick<Target, 'dep' | 'masters'>): Promise<number> {
  let n = 0;
  for (const address of t.masters) {
    const node = t.dep.state.nodes.find((x) => `${x.host}:${x.port}` === address)!;
    const c = await t.dep.node(node);
    n += await c.dbsize();
    c.disconnect();
  }
  return n;
}

async function prepare(name: Target['name']): Promise<Target> {
  const dep = await startDeployment({ topology: name });
  const cwd = await mkdtemp(path.join(os.tmpdir(), `gridctl-matrix-${name}-`));
  const client = await dep.client();
  try {
    await seed(client);
  } finally {
    client.disconnect();
  }
  const data = dep.state.nodes.filter((n) => n.role !== 'sentinel');
  const sentinels = dep.state.nodes.filter((n) => n.role === 'sentinel');
  const masters = data.filter((n) => n.role === 'master').map((n) => `${n.host}:${n.port}`);
  const replica = data.find((n) => n.role === 'replica')!;
  const connection = name === 'sentinel' ? ['--sentinel', sentinels.map((s) => `${s.host}:${s.port}`).join(',')] : ['--url', `redis://${replica.host}:${replica.port}`];
  // The archive restore reads, written the way main always could: through the run dir.
  const backupDir = path.join(cwd, 'seed-backup');
  const made = await runCli(['backup', '--dir', backupDir, ...dep.cliArgs], { cwd });
  expect(made.exitCode, made.stderr).toBe(0);
  const backupFile = path.join(backupDir, (await readdir(backupDir)).find((f) => f.endsWith('.gbk'))!);
  return { name, dep, connection, masters, cwd, backupFile };
}

beforeAll(async () => {
  expect(ROWS.map((r) => r.command.split(' ')[0])).toEqual(expect.arrayContaining(['health', 'memory', 'lock', 'orderbook', 'backup', 'restore', 'check']));
  // A deployment that started is stopped even when the other one failed to (afterAll never sees it).
  const prepared = await Promise.allSettled([prepare('sentinel'), prepare('cluster')]);
  const failed = prepared.find((p): p is PromiseRejectedResult => p.status === 'rejected');
  if (failed) {
    await Promise.all(prepared.map((p) => (p.status === 'fulfilled' ? p.value.dep.stop() : undefined)));
    throw failed.reason;
  }
  targets.push(...prepared.map((p) => (p as PromiseFulfilledResult<Target>).value));
  // The sentinels must know the master under the default name for --sentinel alone to mean it.
  expect(targets[0]!.dep.state.masterName ?? 'gridtokenx').toBe('gridtokenx');
});
afterAll(async () => {
  for (const t of targets) {
    await t.dep.stop();
    await rm(t.cwd, { recursive: true, force: true });
  }
});

describe.each(['sentinel', 'cluster'] as const)('every live command through %s flags alone', (name) => {
  it.each(ROWS)('$command', async (row) => {
    const t = targets.find((x) => x.name === name)!;
    const keys = row.whole ? await keyCount(t) : 0;
    // Global flags first: `lock run` takes everything after -- as the command.
    const r = await runCli([...t.connection, '--json', ...row.args(t)], { cwd: t.cwd, env: { GRIDCTL_AUDIT_LOG: path.join(t.cwd, 'audit.jsonl') } });
    expect(row.exit, `exit ${r.exitCode}: ${r.stderr}${r.stdout.slice(0, 400)}`).toContain(r.exitCode);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    const coverage = report.coverage as { topology: string; nodes: string[]; complete: boolean; gaps: string[] };
    expect(coverage, r.stdout.slice(0, 400)).toBeDefined();
    expect(coverage.topology).toBe(name);
    if (row.oneMaster && name === 'cluster') {
      // One master of three compared: said in JSON and on stderr, never shown as the whole.
      expect(coverage.nodes).toHaveLength(1);
      expect(coverage.complete).toBe(false);
      expect(r.stderr).toMatch(/partial cluster coverage/);
    } else {
      expect([...coverage.nodes].sort()).toEqual([...t.masters].sort());
      expect(coverage.complete).toBe(true);
      expect(r.stderr).not.toMatch(/partial/);
    }
    row.whole?.(report, keys);
  });
});
