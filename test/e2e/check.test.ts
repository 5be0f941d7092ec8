import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { packagesLoadedBy } from '../helpers/loaded-packages.js';

const H = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
let dir: string;
const CLEAN = ['bind 10.0.0.5 127.0.0.1 -::1', 'protected-mode yes', 'port 6379', 'maxmemory 1gb', 'appendonly yes', 'aclfile users.acl', ''].join('\n');
const USERS = ['user default off resetpass', `user gateway on #${H} ~order:* resetchannels -@all +@read +@write -@dangerous`, ''].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-check-e2e-'));
  await writeFile(path.join(dir, 'clean.conf'), CLEAN, { mode: 0o600 });
  await writeFile(path.join(dir, 'users.acl'), USERS, { mode: 0o600 });
  await writeFile(path.join(dir, 'warn.conf'), CLEAN.replace('aclfile users.acl', 'aclfile users.acl\nrename-command KEYS ""'), { mode: 0o600 });
  await writeFile(path.join(dir, 'bad.conf'), 'port 6379 # comment\n', { mode: 0o600 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gridctl check (built binary)', () => {
  it('a clean config exits 0 and prints a summary', async () => {
    const r = await runCli(['check', 'clean.conf', 'users.acl'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/0 error\(s\), 0 warning\(s\)/);
  });

  it('warnings pass by default, fail with --strict and over --max-warnings', async () => {
    expect((await runCli(['check', 'warn.conf', 'users.acl'], { cwd: dir })).exitCode).toBe(0);
    const strict = await runCli(['check', 'warn.conf', 'users.acl', '--strict'], { cwd: dir });
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toMatch(/AUTH023/);
    expect((await runCli(['check', 'warn.conf', 'users.acl', '--max-warnings', '0'], { cwd: dir })).exitCode).toBe(1);
    expect((await runCli(['check', 'warn.conf', 'users.acl', '--max-warnings', '1'], { cwd: dir })).exitCode).toBe(0);
  });

  it('errors exit 1 and point at file:line; --json is the report', async () => {
    const r = await runCli(['check', 'bad.conf', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    const f = report.findings.find((x: { ruleId: string }) => x.ruleId === 'CFG002');
    expect(f).toMatchObject({ severity: 'error', line: 1, file: path.join(dir, 'bad.conf') });
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(report.verdict).toBe('fail');
  });

  it('--format sarif, junit and github', async () => {
    const sarif = JSON.parse((await runCli(['check', 'bad.conf', '--format', 'sarif'], { cwd: dir })).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0]).toMatchObject({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.conf' } } }] });
    const junit = await runCli(['check', 'bad.conf', '--format', 'junit'], { cwd: dir });
    expect(junit.stdout).toMatch(/^<\?xml/);
    expect(junit.stdout).toMatch(/<failure type="CFG002"/);
    const gh = await runCli(['check', 'bad.conf', '--format', 'github'], { cwd: dir });
    expect(gh.stdout).toMatch(/^::error file=bad.conf,line=1,title=CFG002/m);
  });

  it('--list-rules and --explain; unknown rule is a usage error', async () => {
    const list = await runCli(['check', '--list-rules']);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^NET001\terror\t/m);
    const explain = await runCli(['check', '--explain', 'auth013']);
    expect(explain.exitCode).toBe(0);
    expect(explain.stdout).toMatch(/AUTH013[\s\S]*Why:[\s\S]*Fix:[\s\S]*Docs: https:\/\//);
    const bad = await runCli(['check', '--explain', 'NOPE999']);
    expect(bad.exitCode).toBe(3);
  });

  it('a missing path or bad flag exits 3', async () => {
    expect((await runCli(['check', 'nope.conf'], { cwd: dir })).exitCode).toBe(3);
    expect((await runCli(['check', 'clean.conf', '--max-warnings', 'x'], { cwd: dir })).exitCode).toBe(3);
    expect((await runCli(['check', 'clean.conf', '--format', 'xml'], { cwd: dir })).exitCode).toBe(3);
  });

  it('gridctl.yaml check.rules: re-levelling needs a reason; with one it applies', async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'gridctl-check-cfg-'));
    try {
      await writeFile(path.join(d, 'r.conf'), CLEAN.replace('aclfile users.acl', 'aclfile users.acl\nrename-command KEYS ""'), { mode: 0o600 });
      await writeFile(path.join(d, 'users.acl'), USERS, { mode: 0o600 });
      await writeFile(path.join(d, 'gridctl.yaml'), 'check:\n  rules:\n    AUTH023: { severity: "off" }\n');
      const noReason = await runCli(['check', 'r.conf'], { cwd: d });
      expect(noReason.exitCode).toBe(3);
      expect(noReason.stderr).toMatch(/reason/);
      await writeFile(path.join(d, 'gridctl.yaml'), 'check:\n  files: [r.conf]\n  rules:\n    AUTH023: { severity: error, reason: "KEYS must never run here" }\n');
      const r = await runCli(['check', '--json'], { cwd: d });
      const f = JSON.parse(r.stdout).findings.find((x: { ruleId: string }) => x.ruleId === 'AUTH023');
      expect(f).toMatchObject({ severity: 'error', overrideReason: 'KEYS must never run here' });
      expect(r.exitCode).toBe(1);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });

  it('does not load ioredis without --live', async () => {
    const r = await packagesLoadedBy(['check', 'clean.conf'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.packages).toContain('commander');
    expect(r.packages).not.toContain('ioredis');
  });

  it.skipIf(!existsSync('/etc/redis/redis.conf'))('checks the Debian stock redis.conf and sentinel.conf with sensible findings', async () => {
    const r = await runCli(['check', '/etc/redis/redis.conf', '/etc/redis/sentinel.conf', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    const ids = (file: string) => report.findings.filter((f: { file: string }) => f.file === file).map((f: { ruleId: string }) => f.ruleId);
    // Stock redis.conf: loopback bind and protected mode are fine; no password and no maxmemory are not.
    expect(ids('/etc/redis/redis.conf')).toEqual(expect.arrayContaining(['AUTH001', 'MEM001']));
    expect(ids('/etc/redis/redis.conf')).not.toContain('NET001');
    expect(ids('/etc/redis/redis.conf').filter((id: string) => /^(CFG00[1-6]|VER)/.test(id))).toEqual([]);
    expect(ids('/etc/redis/sentinel.conf')).toEqual(expect.arrayContaining(['SEN008']));
    expect(report.files.map((f: { kind: string }) => f.kind)).toEqual(['redis', 'sentinel']);
  });
});
