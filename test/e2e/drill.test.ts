import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli, BIN } from '../helpers/cli.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';
import { isAlive } from '../../src/core/local/process.js';

/** The pids of the throwaway deployment a drill started under `tmp` (its TMPDIR), once its state.json exists. */
async function throwawayPids(tmp: string): Promise<number[] | undefined> {
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith('gridctl-drill-')) continue;
    const state = await readFile(path.join(tmp, name, 'run', 'state.json'), 'utf8').catch(() => undefined);
    if (state) return (JSON.parse(state) as { nodes: Array<{ pid: number }> }).nodes.map((n) => n.pid);
  }
  return undefined;
}

describe('gridctl drill restore (binary)', () => {
  let src: TestDeployment;
  let work: string;
  let backups: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'gridctl-drill-e2e-'));
    backups = path.join(work, 'backups');
    src = await startDeployment({ topology: 'standalone' });
    const c = await src.client();
    // Enough keys that the restore and its checks take a moment: the signal lands while the throwaway server runs.
    for (let batch = 0; batch < 20; batch++) {
      const p = c.pipeline();
      for (let i = 0; i < 1000; i++) p.set(`user:session:${batch}-${i}`, 'x'.repeat(100), 'EX', 3600);
      await p.exec();
    }
    c.disconnect();
    const dep = await Deployment.open(src.spec);
    try {
      await runLogicalBackup(dep.spec, async () => dep, { dir: backups, mode: 'logical', namespaces: DEFAULT_NAMESPACES });
    } finally {
      await dep.close();
    }
  });
  afterAll(async () => {
    await src?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('passes (exit 0, --json, a textfile for cron) and leaves no process and no directory behind', async () => {
    const tmp = await mkdtemp(path.join(work, 'tmp-'));
    const textfile = path.join(work, 'drill.prom');
    const r = await runCli(['drill', 'restore', '--dir', backups, '--textfile', textfile, '--json', ...src.cliArgs], { env: { TMPDIR: tmp } });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, restored: 20_000, throwaway: { topology: 'standalone', processes: 1 } });
    expect(report.checks.find((c: { check: string }) => c.check === 'source-sample').status).toBe('PASS');
    expect((report.throwaway.pids as number[]).filter(isAlive)).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
    expect(await readFile(textfile, 'utf8')).toMatch(/\ngridctl_drill_restore_success 1\n/);
  });

  it('a manifest that disagrees with its data: exit 1 naming the mismatch, and success 0 in the textfile', async () => {
    const bad = path.join(work, 'bad');
    await cp(backups, bad, { recursive: true });
    const manifestFile = path.join(bad, (await readdir(bad)).find((n) => n.endsWith('.manifest.json'))!);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    manifest.countsByType.string = 20_001;
    await writeFile(manifestFile, JSON.stringify(manifest));
    const textfile = path.join(work, 'bad.prom');
    const r = await runCli(['drill', 'restore', '--dir', bad, '--no-source', '--textfile', textfile]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('keys by type\tFAIL\tstring 20001\tstring 20000\tstring: backup 20001, restored 20000');
    expect(await readFile(textfile, 'utf8')).toMatch(/\ngridctl_drill_restore_success 0\n/);
  });

  it('no verified backup: exit 1 with the hint, textfile success 0', async () => {
    const textfile = path.join(work, 'none.prom');
    const r = await runCli(['drill', 'restore', '--dir', path.join(work, 'empty'), '--textfile', textfile]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('no verified gridctl backup in');
    expect(await readFile(textfile, 'utf8')).toMatch(/^gridctl_drill_restore_success 0$/m);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while the throwaway deployment runs: exit 2, every pid it started gone, its directory removed`, async () => {
      // The same backup labelled Sentinel: its throwaway deployment (6 processes) takes a few seconds
      // to agree on its master after state.json is written, so the signal lands while it runs.
      const labelled = path.join(work, `sentinel-${signal}`);
      await cp(backups, labelled, { recursive: true });
      const manifestFile = path.join(labelled, (await readdir(labelled)).find((n) => n.endsWith('.manifest.json'))!);
      await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(await readFile(manifestFile, 'utf8')), topology: 'sentinel' }));
      const tmp = await mkdtemp(path.join(work, 'sig-'));
      const child = execa('node', [BIN, 'drill', 'restore', '--dir', labelled, '--no-source'], { reject: false, env: { FORCE_COLOR: '0', CI: 'true', TMPDIR: tmp } });
      let pids: number[] | undefined;
      const deadline = Date.now() + 30_000;
      while (!(pids = await throwawayPids(tmp)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(pids?.length).toBe(6);
      expect(pids!.filter(isAlive)).toEqual(pids);
      child.kill(signal);
      const r = await child;
      expect(r.exitCode, String(r.stderr)).toBe(2);
      expect(String(r.stdout)).toBe('');
      expect(pids!.filter(isAlive)).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
    });
  }
});
