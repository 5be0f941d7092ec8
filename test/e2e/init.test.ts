import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

/**
 * As a new user would: `gridctl init` in an empty folder (no terminal: --yes), then
 * `gridctl up --from .`, `gridctl health`, `gridctl down`, on the built binary.
 */
describe('e2e: gridctl init --yes, up --from ., health, down', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-e2e-init-'));
  });
  afterAll(async () => {
    await runCli(['down'], { cwd: dir });
    await rm(dir, { recursive: true, force: true });
  });

  it('without a terminal and without --yes: exit 3, a hint, nothing written', async () => {
    const r = await runCli(['init'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/not a terminal/);
    expect(r.stderr).toMatch(/--yes/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('up --from a folder without a rendered scaffold: exit 3 naming the file', async () => {
    const r = await runCli(['up', '--from', '.'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/gridctl\.yaml/);
  });

  it('init --yes writes the production scaffold and prints the plan', async () => {
    const r = await runCli(['init', '--yes'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^create\tusers\.acl\t0640\t$/m);
    expect(r.stdout).toMatch(/^create\tsecrets\/app\.env\t0600\t$/m);
    expect(r.stderr).toMatch(/gridctl up --from \./);
    expect((await stat(path.join(dir, 'secrets', 'admin.env'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'tls', 'ca.key'))).mode & 0o777).toBe(0o600);
    // Passwords live only in secrets/: not in the output, the model or the ACL file (hashes there).
    const shared = [r.stdout, r.stderr, await readFile(path.join(dir, 'gridctl.yaml'), 'utf8'), await readFile(path.join(dir, 'users.acl'), 'utf8')].join('\n');
    for (const role of ['admin', 'app', 'monitor', 'backup', 'restore']) {
      const env = await readFile(path.join(dir, 'secrets', `${role}.env`), 'utf8');
      const password = /^[A-Z_]*PASSWORD=(.+)$/m.exec(env)![1]!;
      expect(password.length).toBeGreaterThanOrEqual(43);
      expect(shared).not.toContain(password);
    }
  });

  it('re-running is idempotent; --from --dry-run --json prints the plan object', async () => {
    const again = await runCli(['init', '--yes'], { cwd: dir });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/^(create|overwrite)\t/m);
    const plan = await runCli(['init', '--from', 'gridctl.yaml', '--dry-run', '--json'], { cwd: dir });
    expect(plan.exitCode, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as { dryRun: boolean; plan: { summary: Record<string, number>; entries: Array<{ path: string; action: string }> } };
    expect(json.dryRun).toBe(true);
    expect(json.plan.summary).toMatchObject({ create: 0, overwrite: 0, blocked: 0 });
    expect(json.plan.entries.length).toBeGreaterThan(40);
    expect(plan.stdout).not.toMatch(/REDIS_PASSWORD=[0-9a-f]{64}/);
  });

  it('--from with an answer flag is a usage error', async () => {
    const r = await runCli(['init', '--from', 'gridctl.yaml', '--topology', 'cluster'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/edit gridctl\.yaml/);
  });

  it('up --from . starts exactly these files; health checks them; down stops them', async () => {
    const up = await runCli(['up', '--from', '.'], { cwd: dir, timeoutMs: 90_000 });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout.trim()).toMatch(/^rediss:\/\/admin@127\.0\.0\.1:\d+$/);
    expect(up.stderr).toMatch(/sentinel deployment ready/);

    const health = await runCli(['health', '--json'], { cwd: dir, timeoutMs: 60_000 });
    expect(health.stdout, health.stderr).toMatch(/"summary"/);
    const report = JSON.parse(health.stdout) as { summary: { fail: number; pass: number } };
    expect(report.summary.pass).toBeGreaterThan(0);
    expect(report.summary.fail, health.stdout).toBe(0);
    expect(health.exitCode).toBe(0);

    // init writes a `local` target that points at the run directory: the issue's `--target local`.
    const viaTarget = await runCli(['health', '--target', 'local', '--json', '--samples', '2'], { cwd: dir, timeoutMs: 60_000 });
    expect(viaTarget.exitCode, viaTarget.stderr).toBe(0);
    expect(JSON.parse(viaTarget.stdout).source).toBe('target local');

    const down = await runCli(['down'], { cwd: dir });
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toMatch(/stopped 6 processes/);
  });
});
