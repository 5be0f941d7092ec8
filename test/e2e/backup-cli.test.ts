import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, writeFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployments, type TestDeployment } from '../helpers/redis.js';
import { runCli, BIN } from '../helpers/cli.js';
import { execa } from 'execa';
import { BACKUP_ACL } from '../../src/commands/backup/definition.js';
import { RESTORE_ACL } from '../../src/commands/restore/definition.js';

describe('gridctl backup / backup verify / restore (built binary)', () => {
  let src: TestDeployment;
  let dst: TestDeployment;
  let dir: string;
  let archive: string;
  let good: Buffer;

  async function dstDigest(): Promise<string> {
    const c = await dst.client();
    const d = (await c.call('DEBUG', 'DIGEST')) as string;
    c.disconnect();
    return d;
  }

  beforeAll(async () => {
    [src, dst] = await startDeployments({ topology: 'sentinel' }, { topology: 'standalone' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bk-e2e-'));
    const c = await src.client();
    for (let i = 0; i < 2000; i++) await c.set(`user:session:${i}`, `v${i}`, 'EX', 3600);
    await c.zadd('orderbook:buy', 0.15, '{"id":"a"}', 0.14, '{"id":"b"}');
    // One key outside database 0: in the RDB, and not restored from it (gridctl restores database 0).
    await c.select(1);
    await c.set('elsewhere', 'db1');
    await c.select(0);
    c.disconnect();
    const d = await dst.client();
    await d.set('pre-existing', '1');
    d.disconnect();
  });
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('is silent on success without a TTY, writes archive + manifest, and --json gives the summary', async () => {
    const quiet = await runCli(['backup', '--dir', path.join(dir, 'cron'), ...src.cliArgs]);
    expect(quiet).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    const r = await runCli(['backup', '--dir', dir, '--from-replica', '--json', ...src.cliArgs]);
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, verified: true, records: 2001, topology: 'sentinel', countsByType: { string: 2000, zset: 1 } });
    expect(report.masters[0].role).toBe('replica');
    expect(report.countsByNamespace['user:session:{session_id}']).toBe(2000);
    archive = report.file;
    expect(path.basename(archive)).toMatch(/^gridctl-backup-\d{8}T\d{9}Z\.gbk$/);
    good = await readFile(archive);
    const manifest = JSON.parse(await readFile(report.manifest, 'utf8'));
    expect(manifest.files[0].sha256).toBe(report.sha256);
  });

  it('backup verify passes on the intact archive', async () => {
    const r = await runCli(['backup', 'verify', archive, '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, records: 2001 });
  });

  for (const [name, mutate, message] of [
    ['a flipped byte', (b: Buffer) => { const x = Buffer.from(b); x[Math.floor(x.length / 2)]! ^= 0x40; return x; }, /frame \d+ at byte \d+ .*CRC-32 mismatch/],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 77), /truncated at byte \d+/],
    ['a wrong magic', (b: Buffer) => Buffer.concat([Buffer.from('XXXXXXXX'), b.subarray(8)]), /wrong magic at byte 0/],
    ['a future format version', (b: Buffer) => { const x = Buffer.from(b); x.writeUInt16BE(9, 8); return x; }, /format version 9 is not supported/],
  ] as const) {
    it(`${name}: verify and restore exit 6 and the target is untouched`, async () => {
      const bad = path.join(dir, `bad-${name.replace(/\W+/g, '-')}.gbk`);
      await writeFile(bad, mutate(good));
      const before = await dstDigest();
      const v = await runCli(['backup', 'verify', bad]);
      expect(v.exitCode).toBe(6);
      expect(v.stderr).toMatch(message);
      const r = await runCli(['restore', bad, '--yes', '--on-conflict', 'replace', ...dst.cliArgs]);
      expect(r.exitCode).toBe(6);
      expect(r.stderr).toMatch(message);
      expect(await dstDigest()).toBe(before);
    });
  }

  it('restore into a non-empty target needs --yes without a TTY (exit 3), writes nothing', async () => {
    const before = await dstDigest();
    const r = await runCli(['restore', archive, ...dst.cliArgs]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/--yes required/);
    expect(await dstDigest()).toBe(before);
  });

  it('--on-conflict fail with existing keys lists them and writes nothing (exit 1); --dry-run writes nothing', async () => {
    const d = await dst.client();
    await d.set('user:session:7', 'mine');
    d.disconnect();
    const before = await dstDigest();
    const r = await runCli(['restore', archive, '--yes', ...dst.cliArgs]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/1 key\(s\) of the backup already exist in the target; nothing was written: user:session:7/);
    const dry = await runCli(['restore', archive, '--dry-run', '--on-conflict', 'skip', '--json', ...dst.cliArgs]);
    expect(dry.exitCode).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, selected: 2001, conflicts: { count: 1 } });
    expect(await dstDigest()).toBe(before);
  });

  it('restores with --on-conflict skip and --match, then reports counts per type', async () => {
    const r = await runCli(['restore', archive, '--yes', '--on-conflict', 'skip', '--match', 'user:session:*', '--json', ...dst.cliArgs]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({ ok: true, selected: 2000, restored: 1999, skippedExisting: 1, countsByType: { string: { archive: 2000, restored: 1999, skipped: 1 } } });
    const d = await dst.client();
    expect(await d.get('user:session:7')).toBe('mine');
    expect(await d.exists('orderbook:buy')).toBe(0);
    d.disconnect();
  });

  it('encrypts with --encrypt-key-file; verify needs the key; the key is never printed', async () => {
    const key = path.join(dir, 'backup.key');
    const secret = 'S3cretKeyMaterial-0123456789abcdefghijklmnop';
    await writeFile(key, secret, { mode: 0o600 });
    const b = await runCli(['backup', '--dir', path.join(dir, 'enc'), '--encrypt-key-file', key, '--json', ...src.cliArgs]);
    expect(b.exitCode).toBe(0);
    const rep = JSON.parse(b.stdout);
    expect(rep.encrypted).toBe(true);
    expect(b.stdout + b.stderr).not.toContain(secret);
    expect((await runCli(['backup', 'verify', rep.file])).exitCode).toBe(3);
    const ok = await runCli(['backup', 'verify', rep.file, '--encrypt-key-file', key]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain(secret);
  });

  it('a held lock stops a second backup (exit 1); a stale lock is taken over; --keep prunes old backups', async () => {
    const ldir = path.join(dir, 'locked');
    expect((await runCli(['backup', '--dir', ldir, ...src.cliArgs])).exitCode).toBe(0);
    await writeFile(path.join(ldir, '.gridctl-backup.lock'), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: 'now' }));
    const held = await runCli(['backup', '--dir', ldir, ...src.cliArgs]);
    expect(held.exitCode).toBe(1);
    expect(held.stderr).toMatch(/another backup into .* is running \(pid \d+/);
    await writeFile(path.join(ldir, '.gridctl-backup.lock'), JSON.stringify({ pid: 999999, host: os.hostname(), startedAt: 'long ago' }));
    expect((await runCli(['backup', '--dir', ldir, ...src.cliArgs])).exitCode).toBe(0);
    expect((await runCli(['backup', '--dir', ldir, '--keep', '2', ...src.cliArgs])).exitCode).toBe(0);
    const names = (await readdir(ldir)).filter((n) => n.startsWith('gridctl-backup-'));
    expect(names.filter((n) => n.endsWith('.gbk'))).toHaveLength(2);
    expect(names.filter((n) => n.endsWith('.manifest.json'))).toHaveLength(2);
    expect(names.some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('--mode rdb fetches the master RDB (diskless EOF-marker transfer) and verify checks it', async () => {
    const r = await runCli(['backup', '--mode', 'rdb', '--dir', path.join(dir, 'rdb'), '--json', ...src.cliArgs], { timeoutMs: 60_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({ ok: true, mode: 'rdb', verified: true });
    const v = await runCli(['backup', 'verify', rep.manifest, '--json']);
    expect(v.exitCode).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ kind: 'rdb-backup', files: [{ crc: { ok: true }, check: { ok: true, tool: 'redis-check-rdb' } }] });
  });

  it('on a terminal, a progress bar on stderr: records of a logical backup; bytes received and transfers done for --mode rdb', async () => {
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const bars = { logical: /backup \[[^\]]*\] \d+% \| \d+\/2001 keys \| [\d.]+ (B|KiB)/, rdb: /backup --mode rdb: [01]\/1 RDB transfers done \| [\d.]+ (B|KiB) received/ };
    for (const [mode, bar] of Object.entries(bars)) {
      const cmd = [process.execPath, BIN, 'backup', '--mode', mode, '--dir', path.join(dir, `tty-${mode}`), ...src.cliArgs].map(quote).join(' ');
      // `script` gives the command a pseudo-terminal; what it drew comes back on script's stdout.
      const r = await execa('script', ['-qec', cmd, '/dev/null'], { reject: false, timeout: 60_000, env: { ...process.env, TERM: 'xterm', FORCE_COLOR: undefined } });
      expect(r.exitCode, String(r.stdout)).toBe(0);
      expect(String(r.stdout)).toMatch(bar);
    }
  });

  it('--dry-run names the nodes a backup would read and their key counts, and writes nothing: Sentinel (from a replica) and a standalone node read directly', async () => {
    const out = path.join(dir, 'dry');
    const sentinel = await runCli(['backup', '--dry-run', '--from-replica', '--dir', out, '--json', ...src.cliArgs]);
    expect(sentinel.exitCode, sentinel.stderr).toBe(0);
    const plan = JSON.parse(sentinel.stdout);
    expect(plan).toMatchObject({ dryRun: true, mode: 'logical', keys: 2001, sources: [{ role: 'replica', keys: 2001 }] });
    expect(plan.sources[0].address).not.toBe(plan.sources[0].from);
    const d = await dst.client();
    const keys = await d.dbsize();
    d.disconnect();
    const direct = await runCli(['backup', '--dry-run', '--mode', 'rdb', '--dir', out, ...dst.cliArgs]);
    expect(direct.exitCode, direct.stderr).toBe(0);
    const port = dst.spec.nodes[0]!.port;
    expect(direct.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}\\s+127\\.0\\.0\\.1:${port}\\s+master\\s+Redis \\d+\\.\\d+\\.\\d+\\s+${keys}`));
    expect(direct.stderr).toContain(`dry run: an RDB backup of ${keys} keys would be written to ${out}; nothing was written`);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('--mode rdb from a standalone node read directly: its role and key count in the report; a wrong password or a closed port gets the usual message and exit code, leaving nothing', async () => {
    const d = await dst.client();
    const keys = await d.dbsize();
    d.disconnect();
    const ok = await runCli(['backup', '--mode', 'rdb', '--dir', path.join(dir, 'rdb-direct'), '--json', ...dst.cliArgs], { timeoutMs: 60_000 });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const port = dst.spec.nodes[0]!.port;
    expect(JSON.parse(ok.stdout)).toMatchObject({ mode: 'rdb', topology: 'standalone', verified: true, records: keys, masters: [{ address: `127.0.0.1:${port}`, role: 'master', records: keys }] });
    const empty = path.join(dir, 'rdb-refused');
    const wrong = await runCli(['backup', '--mode', 'rdb', '--dir', empty, '--url', `redis://nobody:not-the-password@127.0.0.1:${port}`]);
    expect(wrong.exitCode).toBe(4);
    expect(wrong.stderr).toMatch(/authentication failed at 127\.0\.0\.1:\d+ for user "nobody"/);
    expect(wrong.stderr).not.toContain('not-the-password');
    const closed = await runCli(['backup', '--mode', 'rdb', '--dir', empty, '--url', 'redis://127.0.0.1:1']);
    expect(closed.exitCode).toBe(5);
    expect(closed.stderr).toMatch(/connection refused by 127\.0\.0\.1:1/);
    // The folder may not even exist: the connection is refused before the backup makes it.
    expect((await readdir(empty).catch(() => [] as string[])).filter((n) => !n.startsWith('.gridctl-backup.lock'))).toEqual([]);
  });

  it('restore takes an RDB backup (its manifest or the bare .rdb) through a throwaway redis-server; a damaged RDB exits 6 and writes nothing', async () => {
    const rdbDir = path.join(dir, 'rdb');
    const manifest = path.join(rdbDir, (await readdir(rdbDir)).find((f) => f.endsWith('.manifest.json'))!);
    const rdbFile = path.join(rdbDir, (await readdir(rdbDir)).find((f) => f.endsWith('.rdb'))!);
    // A TMPDIR of its own shows that the throwaway server's directory and the staged archive are removed.
    const tmp = await mkdtemp(path.join(dir, 'tmp-'));
    const env = { TMPDIR: tmp };
    // The key in database 1 cannot be placed: the run fails before any write unless --skip-other-dbs.
    const refused = await runCli(['restore', manifest, '--yes', '--on-conflict', 'replace', ...dst.cliArgs], { timeoutMs: 60_000, env });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/1 key\(s\) of the backup are in databases other than 0, which gridctl does not restore; nothing was written/);
    const r = await runCli(['restore', manifest, '--yes', '--on-conflict', 'replace', '--skip-other-dbs', '--json', ...dst.cliArgs], { timeoutMs: 60_000, env });
    expect(r.exitCode, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep).toMatchObject({ ok: true, file: manifest, selected: 2001, failed: 0, skippedOtherDbs: 1, source: { topology: 'sentinel' }, sample: { mismatched: [] } });
    expect(rep.errors).toContainEqual({ key: '*', message: '1 key(s) in databases other than 0 were not restored: gridctl restores database 0' });
    const d = await dst.client();
    expect(await d.get('user:session:7')).toBe('v7');
    expect(await d.ttl('user:session:7')).toBeGreaterThan(3000);
    expect(await d.zrange('orderbook:buy', 0, -1)).toEqual(['{"id":"b"}', '{"id":"a"}']);
    d.disconnect();
    // The bare file under --on-conflict fail: every key exists now, so nothing is written (exit 1).
    const before = await dstDigest();
    const conflict = await runCli(['restore', rdbFile, '--yes', '--skip-other-dbs', ...dst.cliArgs], { timeoutMs: 60_000, env });
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stderr).toMatch(/2001 key\(s\) of the backup already exist in the target; nothing was written/);
    const damaged = path.join(dir, 'damaged.rdb');
    const bytes = await readFile(rdbFile);
    const mid = Math.floor(bytes.length / 2);
    bytes[mid] = bytes[mid]! ^ 0xff;
    await writeFile(damaged, bytes);
    const bad = await runCli(['restore', damaged, '--yes', '--on-conflict', 'replace', ...dst.cliArgs], { timeoutMs: 60_000, env });
    expect(bad.exitCode).toBe(6);
    expect(bad.stderr).toMatch(/damaged\.rdb does not check out \(CRC-64\): the RDB's CRC-64 does not match its content/);
    expect(await dstDigest()).toBe(before);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('the documented ACL rules are enough: backup as a read-only user, restore as the restore user; a user without DUMP gets exit 4', async () => {
    const d = await dst.client();
    await d.call('ACL', 'SETUSER', 'bk', 'reset', ...BACKUP_ACL.replace('>PASSWORD', '>bk-pass-123').split(' '));
    await d.call('ACL', 'SETUSER', 'rs', 'reset', ...RESTORE_ACL.replace('>PASSWORD', '>rs-pass-123').split(' '));
    await d.call('ACL', 'SETUSER', 'nodump', 'reset', ...BACKUP_ACL.replace('>PASSWORD', '>nd-pass-123').replace(' +dump', '').split(' '));
    const port = dst.state.nodes[0]!.port;
    const b = await runCli(['backup', '--url', `redis://bk:bk-pass-123@127.0.0.1:${port}`, '--dir', path.join(dir, 'acl'), '--json']);
    expect(b.exitCode, b.stderr).toBe(0);
    const file = JSON.parse(b.stdout).file;
    expect(b.stdout).not.toContain('bk-pass-123');
    const denied = await runCli(['backup', '--url', `redis://nodump:nd-pass-123@127.0.0.1:${port}`, '--dir', path.join(dir, 'acl2')]);
    expect(denied.exitCode).toBe(4);
    expect((await readdir(path.join(dir, 'acl2')).catch(() => [])).filter((n) => n.endsWith('.gbk'))).toEqual([]);
    const r = await runCli(['restore', file, '--url', `redis://rs:rs-pass-123@127.0.0.1:${port}`, '--yes', '--on-conflict', 'replace', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).sample.mismatched).toEqual([]);
    d.disconnect();
  });

  it('SIGTERM mid-backup exits 2, says so, and leaves neither a partial archive nor a temp file', async () => {
    const sdir = path.join(dir, 'sig');
    // --max-rate slows the 2001-key backup to about 2 s, so the signal lands while it is writing.
    const child = execa('node', [BIN, 'backup', '--dir', sdir, '--max-rate', '1000', ...src.cliArgs], { reject: false, env: { FORCE_COLOR: '0', CI: 'true' } });
    await new Promise((r) => setTimeout(r, 1200));
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/backup interrupted: the temporary file was removed; no backup was written/);
    const left = await readdir(sdir).catch(() => [] as string[]);
    expect(left.filter((n) => n.endsWith('.gbk') || n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  });

  it('SIGTERM during an RDB transfer exits 2 and leaves no file, no temp file, and no redis-check-rdb pipe behind', async () => {
    const sdir = path.join(dir, 'sig-rdb');
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gridctl-sig-tmp-'));
    const c = await src.client();
    // 1 ms per key: the 2,001-key RDB takes ~2 s to serialise, so the signal lands mid-transfer.
    await c.config('SET', 'rdb-key-save-delay', '1000');
    try {
      // TMPDIR: where redis-check-rdb's pipe directory is made, so this test sees only its own.
      const child = execa('node', [BIN, 'backup', '--mode', 'rdb', '--dir', sdir, ...src.cliArgs], { reject: false, env: { FORCE_COLOR: '0', CI: 'true', TMPDIR: tmp } });
      await new Promise((r) => setTimeout(r, 1000));
      child.kill('SIGTERM');
      const r = await child;
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr)).toMatch(/backup interrupted: the temporary file was removed; no backup was written/);
      expect((await readdir(sdir).catch(() => [] as string[])).filter((n) => !n.endsWith('.lock'))).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      await c.config('SET', 'rdb-key-save-delay', '0');
      c.disconnect();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform !== 'linux' || os.availableParallelism() < 2)(
    'on the deployment\'s own host, an RDB backup and its redis-check-rdb keep off the first CPU; under the operator\'s own taskset nothing changes',
    async () => {
      const cpusOf = async (pid: number) => /^Cpus_allowed_list:\s*(\S+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1];
      const checkerOf = async (pid: number) => {
        const kids = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
        for (const k of kids) if ((await readFile(`/proc/${k}/comm`, 'utf8').catch(() => '')).trim() === 'redis-check-rdb') return k;
        return undefined;
      };
      const all = (await readFile('/sys/devices/system/cpu/online', 'utf8')).trim();
      // Already narrowed (a container's cpuset): gridctl must then leave its CPUs as they are.
      const inherited = await cpusOf(process.pid);
      const c = await src.client();
      const delay = ((await c.config('GET', 'repl-diskless-sync-delay')) as string[])[1]!;
      // 1 ms per key: the transfer lasts ~2 s, long enough to look at the running processes; and
      // no wait for other replicas before it starts.
      await c.config('SET', 'rdb-key-save-delay', '1000', 'repl-diskless-sync-delay', '0');
      try {
        for (const narrowed of [false, true]) {
          const cmd = ['backup', '--mode', 'rdb', '--dir', path.join(dir, `cpus-${narrowed}`), ...src.cliArgs];
          const child = narrowed ? execa('taskset', ['-c', '0', 'node', BIN, ...cmd], { reject: false }) : execa('node', [BIN, ...cmd], { reject: false });
          let checker: number | undefined;
          for (let i = 0; i < 100 && !checker; i++) {
            await new Promise((r) => setTimeout(r, 20));
            checker = await checkerOf(child.pid!);
          }
          const [mine, its] = [await cpusOf(child.pid!), checker ? await cpusOf(checker) : undefined];
          const r = await child;
          expect(r.exitCode, r.stderr).toBe(0);
          expect(checker).toBeDefined();
          if (narrowed) {
            expect([mine, its]).toEqual(['0', '0']);
          } else if (inherited !== all) {
            expect([mine, its]).toEqual([inherited, inherited]);
          } else {
            expect(mine).not.toBe(all);
            expect(mine).not.toMatch(/^0(\D|$)/);
            expect(its).toBe(mine);
          }
        }
      } finally {
        await c.config('SET', 'rdb-key-save-delay', '0', 'repl-diskless-sync-delay', delay);
        c.disconnect();
      }
    },
    60_000,
  );

  it('a full disk: exit 1, says so, nothing under the final name (needs root to mount a tiny tmpfs; skipped otherwise)', async (t) => {
    const small = path.join(dir, 'tiny');
    await execa('mkdir', ['-p', small]);
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', small], { reject: false });
    if (mounted.exitCode !== 0) return t.skip();
    try {
      for (const mode of ['logical', 'rdb']) {
        const r = await runCli(['backup', '--mode', mode, '--dir', small, ...src.cliArgs]);
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(/the disk is full; (the partial file was removed, nothing was left under the final name|no partial file was left)/);
        expect((await readdir(small)).filter((n) => !n.startsWith('.gridctl-backup.lock'))).toEqual([]);
      }
    } finally {
      await execa('umount', [small], { reject: false });
    }
  });

  it('--help documents exit codes and the ACL rules', async () => {
    const b = await runCli(['backup', '--help']);
    expect(b.stdout).toMatch(/Exit codes:/);
    expect(b.stdout).toMatch(/ACL SETUSER backup on >PASSWORD resetkeys %R~\*/);
    const r = await runCli(['restore', '--help']);
    expect(r.stdout).toMatch(/ACL SETUSER restore .*\+restore/);
  });
});
