import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { startDeployment, startDeployments, type TestDeployment } from '../helpers/redis.js';
import { runCli, BIN } from '../helpers/cli.js';

const env = { FORCE_COLOR: '0', CI: 'true' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const finalNames = async (d: string) => (await readdir(d).catch(() => [] as string[])).filter((n) => !n.startsWith('.gridctl-backup.lock'));

describe('backup / restore under faults (built binary)', () => {
  let src: TestDeployment;
  let dst: TestDeployment;
  let dir: string;

  beforeAll(async () => {
    [src, dst] = await startDeployments({ topology: 'standalone' }, { topology: 'standalone' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-faults-'));
  });
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });
  // Each case seeds what it needs into empty servers.
  beforeEach(async () => {
    for (const t of [src, dst]) {
      const c = await t.client();
      await c.flushall();
      c.disconnect();
    }
  });

  it('issue 24 #11: restore <folder> and backup --dir <file> are usage errors (exit 3), not internal errors', async () => {
    const folder = path.join(dir, 'a-folder');
    await mkdir(folder, { recursive: true });
    const r = await runCli(['restore', folder, '--yes', ...dst.cliArgs]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/is a folder, not a backup/);
    expect(r.stderr).not.toMatch(/unexpected error/);
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    const b = await runCli(['backup', '--dir', file, ...src.cliArgs]);
    expect(b.exitCode).toBe(3);
    expect(b.stderr).toMatch(/--dir .*a-file is a file, not a folder/);
    expect(b.stderr).not.toMatch(/unexpected error/);
  });

  it('issue 24 #11: backup --mode rdb of a 64 MB RDB is silent on success (no MaxListenersExceededWarning)', async () => {
    const c = await src.client();
    for (let b = 0; b < 64; b++) {
      const p = c.pipeline();
      for (let i = 0; i < 1024; i++) p.set(`blob:${b}:${i}`, randomBytes(1000));
      await p.exec();
    }
    c.disconnect();
    const r = await runCli(['backup', '--mode', 'rdb', '--dir', path.join(dir, 'big-rdb'), ...src.cliArgs], { timeoutMs: 120_000 });
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    const rdb = (await readdir(path.join(dir, 'big-rdb'))).find((n) => n.endsWith('.rdb'))!;
    expect((await readFile(path.join(dir, 'big-rdb', rdb))).length).toBeGreaterThan(64_000_000);
    const d = await src.client();
    await d.flushall();
    d.disconnect();
  });

  it('issue 24 #6: a file-size limit (a real EFBIG) or a full tmpfs (a real ENOSPC, when it can be mounted) at the manifest step: exit 1 naming it, nothing left under a final name', async () => {
    // Keys with a first segment each: the manifest counts every one as a namespace, so it is larger
    // than the Brotli-compressed archive, and a limit between the two fails exactly the manifest.
    const c = await src.client();
    const p = c.pipeline();
    for (let i = 0; i < 4000; i++) p.set(`ns${i}:k`, 'v');
    await p.exec();
    c.disconnect();
    const probe = await runCli(['backup', '--dir', path.join(dir, 'probe'), '--json', ...src.cliArgs]);
    const rep = JSON.parse(probe.stdout);
    const manifestBytes = (await readFile(rep.manifest)).length;
    expect(rep.bytes).toBeLessThan(manifestBytes - 2048);
    const limitKb = Math.floor((rep.bytes + manifestBytes) / 2 / 1024);
    const out = path.join(dir, 'limited');
    await mkdir(out);
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, BIN, 'backup', '--dir', out, ...src.cliArgs].map(quote).join(' ');
    const r = await execa('bash', ['-c', `ulimit -f ${limitKb}; exec ${cmd}`], { reject: false, env });
    expect(r.exitCode, String(r.stderr)).toBe(1);
    expect(String(r.stderr)).toMatch(/writing the manifest .* failed: the file-size limit was reached \(ulimit -f\); the backup was removed, nothing was left under a final name/);
    expect(String(r.stderr)).not.toMatch(/unexpected error/);
    expect(await finalNames(out)).toEqual([]);
    // A real ENOSPC too where a tiny tmpfs can be mounted (root): room for the lock file and the
    // archive, and half the manifest.
    const tiny = path.join(dir, 'tiny');
    await mkdir(tiny);
    const page = 4096;
    const pages = 1 + Math.ceil(rep.bytes / page) + Math.floor(Math.ceil(manifestBytes / page) / 2);
    const mounted = await execa('mount', ['-t', 'tmpfs', '-o', `size=${pages * page}`, 'tmpfs', tiny], { reject: false });
    if (mounted.exitCode !== 0) return;
    try {
      const full = await runCli(['backup', '--dir', tiny, ...src.cliArgs]);
      expect(full.exitCode, full.stderr).toBe(1);
      expect(full.stderr).toMatch(/writing the manifest .* failed: the disk is full; the backup was removed, nothing was left under a final name/);
      expect(await finalNames(tiny)).toEqual([]);
    } finally {
      await execa('umount', [tiny], { reject: false });
    }
  });

  it('issue 24 #11: an interrupted restore exits 2 and says how many keys it wrote; the same restore with --on-conflict replace completes it', async () => {
    const c = await src.client();
    await c.call('DEBUG', 'POPULATE', '300000', 'restore');
    c.disconnect();
    const b = await runCli(['backup', '--dir', path.join(dir, 'big'), '--json', ...src.cliArgs], { timeoutMs: 120_000 });
    expect(b.exitCode, b.stderr).toBe(0);
    const archive = JSON.parse(b.stdout).file;
    const child = execa(process.execPath, [BIN, 'restore', archive, '--yes', '--sample', '0', ...dst.cliArgs], { reject: false, env });
    const d = await dst.client();
    // SIGTERM once the restore has written its first keys (after the verification pass).
    for (let i = 0; i < 3000 && (await d.dbsize()) === 0; i++) await sleep(5);
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(2);
    const said = /restore interrupted: (\d+) key\(s\) were written to the target; run the same restore again with --on-conflict replace --yes to complete it/.exec(String(r.stderr));
    expect(said, String(r.stderr)).not.toBeNull();
    const written = Number(said![1]);
    const held = await d.dbsize();
    expect(written).toBeGreaterThan(0);
    expect(held).toBe(written);
    expect(held).toBeLessThan(300000);
    const again = await runCli(['restore', archive, '--yes', '--on-conflict', 'replace', '--sample', '0', '--json', ...dst.cliArgs], { timeoutMs: 120_000 });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await d.dbsize()).toBe(300000);
    expect(await d.get('restore:299999')).toBe('value:299999');
    await d.flushall();
    d.disconnect();
    const s = await src.client();
    await s.flushall();
    s.disconnect();
  }, 120_000);
});

describe('the source dying mid-backup is exit 5 in both modes (built binary)', () => {
  for (const mode of ['rdb', 'logical'] as const) {
    it(`issue 24 #11: --mode ${mode}: kill -9 of the source mid-backup exits 5 and leaves no file`, async () => {
      const victim = await startDeployment({ topology: 'standalone' });
      const out = await mkdtemp(path.join(os.tmpdir(), `gridctl-dies-${mode}-`));
      try {
        const c = await victim.client();
        const p = c.pipeline();
        for (let i = 0; i < 3000; i++) p.set(`user:session:${i}`, `v${i}`);
        await p.exec();
        // 1 ms per key while the RDB is written (rdb); --max-rate for the dump (logical): ~3 s either way.
        if (mode === 'rdb') await c.config('SET', 'rdb-key-save-delay', '1000');
        c.disconnect();
        const args = mode === 'rdb' ? ['--mode', 'rdb'] : ['--max-rate', '1000'];
        const child = execa(process.execPath, [BIN, 'backup', ...args, '--dir', out, ...victim.cliArgs], { reject: false, env });
        await sleep(1200);
        process.kill(victim.state.nodes[0]!.pid, 'SIGKILL');
        const r = await child;
        expect(r.exitCode, String(r.stderr)).toBe(5);
        expect(String(r.stderr)).not.toMatch(/unexpected error/);
        expect(await finalNames(out)).toEqual([]);
      } finally {
        await victim.stop().catch(() => undefined);
        await rm(out, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
