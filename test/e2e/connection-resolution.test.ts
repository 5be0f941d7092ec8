import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Cluster } from 'ioredis';
import { startDeployments, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';

/** Where-is-Redis resolution from flags alone: a Cluster from one node, a Sentinel URL, --sentinel with ACL and TLS. */

let cluster: TestDeployment;
let sentinel: TestDeployment;
let cwd: string;

beforeAll(async () => {
  [cluster, sentinel] = await startDeployments({ topology: 'cluster' }, { topology: 'sentinel', tls: true, acl: true });
  cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-resolution-'));
  const c = (await cluster.client()) as Cluster;
  for (let i = 0; i < 300; i++) await c.set(`user:profile:${i}`, 'x');
  c.disconnect();
});
afterAll(async () => {
  await Promise.all([cluster?.stop(), sentinel?.stop()]);
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

const gridctl = (args: string[]) => runCli(args, { cwd });
const urlOf = (n: { host: string; port: number }) => `redis://${n.host}:${n.port}`;

describe('--url to one node of a Cluster', () => {
  it('memory counts every key of the Cluster, not the shard of the node it was given', async () => {
    const node = cluster.state.nodes.find((n) => n.role === 'master')!;
    const r = await gridctl(['memory', '--url', urlOf(node), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.topology).toBe('cluster');
    expect(report.totals.keys).toBe(300);
    expect(report.coverage).toMatchObject({ topology: 'cluster', scope: 'deployment', complete: true, slots: { covered: 16384, total: 16384 } });
  });

  it('--node-only analyses that node alone and says so in JSON and on stderr', async () => {
    const node = cluster.state.nodes.find((n) => n.role === 'master')!;
    const r = await gridctl(['memory', '--url', urlOf(node), '--node-only', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.totals.keys).toBeGreaterThan(0);
    expect(report.totals.keys).toBeLessThan(300);
    expect(report.coverage).toMatchObject({ topology: 'cluster', scope: 'node', nodes: [`${node.host}:${node.port}`], complete: false });
    expect(report.coverage.slots.covered).toBeLessThan(16384);
    expect(r.stderr).toContain(`partial cluster coverage (${node.host}:${node.port}): --node-only`);
  });

  it('--node-only on a replica reads what it holds (READONLY)', async () => {
    const replica = cluster.state.nodes.find((n) => n.role === 'replica')!;
    const r = await gridctl(['lock', 'list', '--url', urlOf(replica), '--node-only', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).coverage).toMatchObject({ scope: 'node', complete: false });
  });

  it('--node-only and a key served by another node: exit 3 naming where it lives', async () => {
    const node = cluster.state.nodes.find((n) => n.role === 'master')!;
    // Lock names until one hashes to another node: the redirect is what is being tested.
    let r;
    for (let i = 0; i < 20; i++) {
      r = await gridctl(['lock', 'acquire', `probe-${i}`, '--ttl', '5s', '--url', urlOf(node), '--node-only']);
      if (r.exitCode !== 0) break;
    }
    expect(r!.exitCode, r!.stderr).toBe(3);
    expect(r!.stderr).toMatch(/slot \d+ lives on 127\.0\.0\.1:\d+/);
    expect(r!.stderr).toContain('drop --node-only');
  });

  it('health from a replica checks all six nodes', async () => {
    const replica = cluster.state.nodes.find((n) => n.role === 'replica')!;
    const r = await gridctl(['health', '--url', urlOf(replica), '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.topology).toBe('cluster');
    expect(report.nodes).toHaveLength(6);
    expect(report.coverage.complete).toBe(true);
  });

  it('--node-only does not go with --sentinel or --cluster', async () => {
    const node = cluster.state.nodes[0]!;
    for (const [extra, why] of [[['--sentinel', '127.0.0.1:1'], 'it does not go with --sentinel'], [['--cluster'], '--node-only and --cluster contradict each other']] as const) {
      const r = await gridctl(['health', '--url', urlOf(node), '--node-only', ...extra]);
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain(why);
    }
  });
});

describe('Sentinel from flags alone', () => {
  const access = () => ['--user', sentinel.state.username!, '--password-file', sentinel.state.passwordFile!, '--tls-ca', sentinel.state.tlsFiles!.ca, '--tls-cert', sentinel.state.tlsFiles!.cert, '--tls-key', sentinel.state.tlsFiles!.key];
  const sentinelAccess = () => ['--sentinel-user', sentinel.state.username!, '--sentinel-password-file', sentinel.state.passwordFile!];
  const sentinels = () => sentinel.state.nodes.filter((n) => n.role === 'sentinel');
  const master = () => sentinel.state.nodes.find((n) => n.role === 'master')!;

  it('--sentinel alone, over TLS with ACL users on sentinels and data nodes, reaches the master', async () => {
    const r = await gridctl(['health', '--sentinel', sentinels().map((s) => `${s.host}:${s.port}`).join(','), ...access(), ...sentinelAccess(), '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.topology, r.stderr).toBe('sentinel');
    expect(report.coverage).toMatchObject({ topology: 'sentinel', nodes: [`${master().host}:${master().port}`], complete: true });
    expect(report.nodes.filter((n: { role: string }) => n.role === 'sentinel')).toHaveLength(3);
  });

  it('--url to a Sentinel follows it to the master it monitors', async () => {
    const s = sentinels()[0]!;
    const r = await gridctl(['lock', 'acquire', 'via-sentinel-url', '--ttl', '5s', '--url', `rediss://${s.host}:${s.port}`, ...access(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).coverage).toMatchObject({ topology: 'sentinel', nodes: [`${master().host}:${master().port}`] });
    const verbose = await gridctl(['lock', 'list', '--url', `rediss://${s.host}:${s.port}`, ...access(), '--verbose']);
    expect(verbose.stderr).toContain(`${s.host}:${s.port} is a Sentinel: following its master "gridtokenx"`);
    expect(verbose.stderr).toContain(`--sentinel ${s.host}:${s.port} --master-name gridtokenx`);
  });

  it('--url to a Sentinel with a master name it does not monitor: exit 3 with the names it does', async () => {
    const s = sentinels()[0]!;
    const r = await gridctl(['memory', '--url', `rediss://${s.host}:${s.port}`, '--master-name', 'nope', ...access()]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('is a Sentinel and monitors no master named "nope"');
    expect(r.stderr).toContain(`it monitors: gridtokenx; pass --sentinel ${s.host}:${s.port} --master-name gridtokenx`);
  });

  it('--node-only on a Sentinel URL is a usage error offering the --sentinel form', async () => {
    const s = sentinels()[0]!;
    const r = await gridctl(['health', '--url', `rediss://${s.host}:${s.port}`, '--node-only', ...access()]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('is a Sentinel, not a data node');
  });

  it('with nothing to connect to, the hint names --sentinel', async () => {
    const r = await gridctl(['health']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('--sentinel host:port');
  });
});
