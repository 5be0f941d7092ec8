import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { rdbPath, seedEveryEncoding } from '../helpers/every-encoding-seed.js';

// memory --from and backup diff through the built binary: what only the binary shows (output on a
// pipe, formats, exit codes, one message per bad file). The report's content is the integration test's.
let dep: TestDeployment;
let tmp: string;
let rdbA: string;
let rdbB: string;
let gbkA: string;
let gbkB: string;
let keysA: number;

async function logicalBackup(dir: string): Promise<string> {
  const r = await runCli(['backup', '--dir', dir, '--json', ...dep.cliArgs], { cwd: tmp });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout).file as string;
}

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gridctl-offline-e2e-'));
  const c = (await dep.client()) as Redis;
  await seedEveryEncoding(c);
  keysA = await c.dbsize();
  await c.save();
  rdbA = path.join(tmp, 'a.rdb');
  await copyFile(await rdbPath(c), rdbA);
  gbkA = await logicalBackup(path.join(tmp, 'a'));
  // Between the backups: 100 more sessions (the namespace that grows) and one session removed.
  const p = c.pipeline();
  for (let i = 0; i < 100; i++) p.set(`user:session:new${i}`, `{"user_id":"n${i}","role":"trader"}`, 'EX', 3600);
  p.del('user:session:s1');
  await p.exec();
  await c.save();
  rdbB = path.join(tmp, 'b.rdb');
  await copyFile(await rdbPath(c), rdbB);
  gbkB = await logicalBackup(path.join(tmp, 'b'));
  c.disconnect();
}, 120_000);

afterAll(async () => {
  await dep?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('gridctl memory --from (built binary)', () => {
  it('an RDB on a pipe: namespace rows as TSV on stdout, the findings on stderr, exit 1 on the critical one', async () => {
    const r = await runCli(['memory', '--from', rdbA], { cwd: tmp });
    expect(r.exitCode).toBe(1);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    const session = rows.find((row) => row[0] === 'user:session:{session_id}')!;
    expect(session.slice(1, 3)).toEqual(['ephemeral', '40']);
    expect(session[7]).toBe('0.7500');
    expect(r.stderr).toMatch(/CRITICAL 10 of 40 ephemeral keys in user:session:\{session_id\} have no TTL/);
    expect(r.stderr).not.toMatch(/^reading /m); // no progress bar without a TTY
  });

  it('a .gbk with --format json: the report of the archive, every key, no server contacted', async () => {
    const r = await runCli(['memory', '--from', gbkA, '--format', 'json', '--fail-on', 'never'], { cwd: tmp });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ source: 'backup', technique: 'file', totals: { keys: keysA } });
    expect(report.backup.parts[0].kind).toBe('gbk');
    expect(report.namespaces.find((n: { name: string }) => n.name === 'stream:trades').encodings).toEqual({ stream: 1 });
  });

  it('--format prometheus: gauges per namespace for the textfile collector', async () => {
    const r = await runCli(['memory', '--from', rdbA, '--format', 'prometheus', '--fail-on', 'never'], { cwd: tmp });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('# TYPE gridctl_memory_namespace_bytes gauge');
    expect(r.stdout).toMatch(/^gridctl_memory_namespace_keys\{namespace="user:session:\{session_id\}",kind="ephemeral",source="backup"\} 40$/m);
    expect(r.stdout).toMatch(/^gridctl_memory_keys\{source="backup"\} \d+$/m);
  });
});

describe('gridctl backup diff (built binary)', () => {
  it('names the namespace that grew, largest change first (two archives, --json)', async () => {
    const r = await runCli(['backup', 'diff', gbkA, gbkB, '--json'], { cwd: tmp });
    expect(r.exitCode, r.stderr).toBe(0);
    const diff = JSON.parse(r.stdout);
    expect(diff.namespaces[0]).toMatchObject({ namespace: 'user:session:{session_id}', keysBefore: 40, keysAfter: 139, added: 100, removed: 1 });
    expect(diff.namespaces[0].bytesDelta).toBeGreaterThan(0);
    expect(diff.totals).toMatchObject({ added: 100, removed: 1 });
  });

  it('two RDB files on a pipe: the changed namespace as a TSV row, --keys lists its changed keys', async () => {
    const r = await runCli(['backup', 'diff', rdbA, rdbB, '--keys', 'user:session:{session_id}', '--limit', '5'], { cwd: tmp });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(lines[0]!.slice(0, 5)).toEqual(['user:session:{session_id}', '40', '139', '100', '1']);
    const keys = lines.filter((l) => l[0] === 'key');
    expect(keys).toHaveLength(5);
    expect(keys.every((k) => k[1] === 'added' || k[1] === 'removed')).toBe(true);
    expect(r.stderr).toMatch(/\+100 -1/);
  });

  it('an RDB against an archive of the same moment: nothing changed', async () => {
    const r = await runCli(['backup', 'diff', rdbA, gbkA, '--json'], { cwd: tmp });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).totals).toMatchObject({ added: 0, removed: 0, keysBefore: keysA, keysAfter: keysA });
  });
});

describe('bad files: one message, the documented exit code', () => {
  const oneMessage = (stderr: string) => stderr.trim().split('\n').filter((l) => /^gridctl: |error/i.test(l));

  it('a truncated RDB is exit 6 naming where it ends', async () => {
    const cut = path.join(tmp, 'cut.rdb');
    const data = await readFile(rdbA);
    await writeFile(cut, data.subarray(0, Math.floor(data.length / 2)));
    const r = await runCli(['memory', '--from', cut], { cwd: tmp });
    expect(r.exitCode).toBe(6);
    expect(r.stdout).toBe('');
    expect(oneMessage(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/cut\.rdb: truncated: the file ends at byte \d+, inside /);
    const diff = await runCli(['backup', 'diff', rdbA, cut], { cwd: tmp });
    expect(diff.exitCode).toBe(6);
    expect(diff.stderr).toContain('cut.rdb');
  });

  it('a bit flipped in an RDB is exit 6 (the checksum or the structure says so)', async () => {
    const flipped = path.join(tmp, 'flipped.rdb');
    const data = Buffer.from(await readFile(rdbA));
    data[Math.floor(data.length * 0.6)]! ^= 0x10;
    await writeFile(flipped, data);
    const r = await runCli(['memory', '--from', flipped], { cwd: tmp });
    expect(r.exitCode).toBe(6);
    expect(oneMessage(r.stderr)).toHaveLength(1);
  });

  it('a bit flipped in an archive is exit 6', async () => {
    const flipped = path.join(tmp, 'flipped.gbk');
    const data = Buffer.from(await readFile(gbkA));
    data[Math.floor(data.length * 0.6)]! ^= 0x10;
    await writeFile(flipped, data);
    const r = await runCli(['memory', '--from', flipped], { cwd: tmp });
    expect(r.exitCode).toBe(6);
    expect(oneMessage(r.stderr)).toHaveLength(1);
  });

  it('an RDB version newer than this gridctl reads is exit 3, said as such (not as damage)', async () => {
    const newer = path.join(tmp, 'newer.rdb');
    const data = Buffer.from(await readFile(rdbA));
    data.write('0099', 5, 'latin1'); // REDIS0010 -> REDIS0099
    await writeFile(newer, data);
    const r = await runCli(['memory', '--from', newer], { cwd: tmp });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/RDB format REDIS0099 is newer than this gridctl reads/);
    expect(r.stderr).not.toMatch(/corrupt|damaged/i);
  });

  it('a missing file is exit 3 naming it, for memory --from and for backup diff', async () => {
    const r = await runCli(['memory', '--from', 'nope.rdb'], { cwd: tmp });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('nope.rdb');
    const d = await runCli(['backup', 'diff', rdbA, 'nope.gbk'], { cwd: tmp });
    expect(d.exitCode).toBe(3);
    expect(d.stderr).toContain('nope.gbk');
  });
});
