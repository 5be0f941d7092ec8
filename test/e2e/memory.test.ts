import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { memorySeed } from '../unit/memory/seed-fixture.js';
import { MEMORY_ACL_SCRIPT } from '../../src/core/memory/acl.js';

let dep: TestDeployment;
let tmp: string;
const seed = memorySeed();

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gridctl-memory-e2e-'));
  const c = (await dep.client()) as Redis;
  for (const k of seed) for (const cmd of k.commands) await c.call(String(cmd[0]), ...cmd.slice(1));
  await c.call('ACL', 'SETUSER', 'no-scan', 'on', '>no-scan-pass-1', 'resetkeys', ...MEMORY_ACL_SCRIPT.split(' '), '-scan');
  c.disconnect();
});

afterAll(async () => {
  await dep?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('gridctl memory (built binary)', () => {
  it('--json prints the report; exit 1 because ephemeral keys lack a TTL (critical)', async () => {
    const r = await runCli(['memory', ...dep.cliArgs, '--json'], { cwd: tmp });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.totals.keys).toBe(seed.length);
    expect(report.technique).toBe('script');
    expect(report.worstSeverity).toBe('critical');
    expect(report.namespaces.find((n: { name: string }) => n.name === 'user:session:{session_id}').ttl.withTtl).toBe(30);
    expect(r.stderr).not.toMatch(/scanning/); // no progress bar without a TTY
  });

  it('--fail-on never exits 0; piped table output is TSV rows on stdout, findings on stderr', async () => {
    const r = await runCli(['memory', ...dep.cliArgs, '--fail-on', 'never'], { cwd: tmp });
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    const session = rows.find((row) => row[0] === 'user:session:{session_id}')!;
    expect(session.slice(1, 3)).toEqual(['ephemeral', '40']);
    expect(session[7]).toBe('0.7500');
    expect(r.stderr).toMatch(/CRITICAL 10 of 40 ephemeral keys in user:session:\{session_id\} have no TTL/);
    expect(r.stderr).toMatch(/script technique/);
  });

  it('--baseline shows growth per namespace', async () => {
    const base = path.join(tmp, 'previous.json');
    const previous = { generatedAt: '2026-11-20T00:00:00.000Z', namespaces: [{ name: 'user:session:{session_id}', keys: 20, bytes: 100 }] };
    await writeFile(base, JSON.stringify(previous));
    const r = await runCli(['memory', ...dep.cliArgs, '--json', '--baseline', base, '--fail-on', 'never'], { cwd: tmp });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    const row = report.baseline.namespaces.find((n: { namespace: string }) => n.namespace === 'user:session:{session_id}');
    expect(row.keysBefore).toBe(20);
    expect(row.keysAfter).toBe(40);
    expect(row.bytesDelta).toBeGreaterThan(0);
  });

  it('gridctl.yaml namespaces and memoryAnalysis settings are used', async () => {
    const dir = await mkdtemp(path.join(tmp, 'cfg-'));
    await writeFile(
      path.join(dir, 'gridctl.yaml'),
      'namespaces:\n  - pattern: "misc:thing:{id}"\n    kind: cache\nmemoryAnalysis:\n  bigKeyElements: 10\n  failOn: warning\n',
    );
    const r = await runCli(['memory', ...dep.cliArgs, '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.options.bigKeyElements).toBe(10);
    expect(report.namespaces.find((n: { name: string }) => n.name === 'misc:thing:{id}').keys).toBe(10);
    expect(report.findings.some((f: { id: string }) => f.id === 'big-key')).toBe(true);
  });

  it('bad flags exit 3 before connecting', async () => {
    const r = await runCli(['memory', '--url', 'redis://127.0.0.1:1', '--sample', '2'], { cwd: tmp });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/--sample: must be at most 1/);
    const missing = await runCli(['memory', ...dep.cliArgs, '--baseline', path.join(tmp, 'nope.json')], { cwd: tmp });
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toMatch(/cannot read --baseline/);
  });

  it('a user without +scan gets a clear NOPERM message and exit 4', async () => {
    const url = `redis://no-scan:no-scan-pass-1@${dep.state.nodes[0]!.host}:${dep.state.nodes[0]!.port}`;
    const r = await runCli(['memory', '--url', url], { cwd: tmp });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/permission denied/);
    expect(r.stderr).toMatch(/scan/);
    expect(r.stderr).toMatch(/ACL SETUSER/);
    expect(r.stderr).not.toContain('no-scan-pass-1');
  });

  it('--help names the ACL and the exit codes', async () => {
    const r = await runCli(['memory', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\+memory\|usage/);
    expect(r.stdout).toMatch(/Exit codes/);
  });
});
