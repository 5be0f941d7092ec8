import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { runCli, BIN } from '../helpers/cli.js';
import { packagesLoadedBy } from '../helpers/loaded-packages.js';
import { startDeployments, type TestDeployment } from '../helpers/redis.js';
import { freePorts, isPortOpen } from '../../src/core/local/ports.js';
import { isAlive } from '../../src/core/local/process.js';

const ANSI = /\u001b\[/;

describe('gridctl basics', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ exitCode: 0, stdout: pkg.version });
  });
  it('--help lists commands and examples', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/health/);
    expect(r.stdout).toMatch(/Examples:/);
  });
  it('help exit-codes documents every code', async () => {
    const r = await runCli(['help', 'exit-codes']);
    expect(r.exitCode).toBe(0);
    for (const code of [0, 1, 2, 3, 4, 5, 6]) expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s`, 'm'));
  });
  it('--help and --version load neither ioredis, zod, yaml nor execa (fast start)', async () => {
    for (const args of [['--help'], ['--version'], ['health', '--help'], ['backup', '--help']]) {
      const r = await packagesLoadedBy(args);
      expect(r.exitCode).toBe(0);
      // The hook sees the program's modules, and the bundle is read for what they hold.
      expect(r.packages).toContain('commander');
      expect([...r.packages].filter((p) => /^(ioredis|zod|yaml|execa)$/.test(p))).toEqual([]);
    }
    // The same lookup does see ioredis where it is loaded: the check above cannot pass vacuously.
    expect((await packagesLoadedBy(['health', '--url', 'redis://127.0.0.1:1'])).packages).toContain('ioredis');
  });
  it('an unknown command or option is a usage error (exit 3)', async () => {
    expect((await runCli(['frobnicate'])).exitCode).toBe(3);
    const r = await runCli(['health', '--bogus']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/unknown option/);
  });
  it('a bad URL is a usage error', async () => {
    const r = await runCli(['health', '--url', 'http://x:1']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/unsupported scheme/);
  });
  it('with nothing to connect to, says how to give a target', async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-empty-'));
    const r = await runCli(['health'], { cwd });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/--url/);
    await rm(cwd, { recursive: true, force: true });
  });
});

describe('gridctl.yaml errors through the CLI', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-cfg-'));
  });
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  it('malformed YAML -> exit 3 naming line and column', async () => {
    await writeFile(path.join(cwd, 'gridctl.yaml'), 'targets:\n  prod:\n    url: [unclosed\n');
    const r = await runCli(['health', '--target', 'prod'], { cwd });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/gridctl\.yaml:\d+:\d+: invalid YAML/);
  });
  it('unknown key -> exit 3 with a suggestion', async () => {
    await writeFile(path.join(cwd, 'gridctl.yaml'), 'targets:\n  prod:\n    url: redis://127.0.0.1:1\nslo:\n  latncyMs: 2\n');
    const r = await runCli(['health', '--target', 'prod'], { cwd });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('gridctl.yaml:5:3: slo.latncyMs: unknown key "latncyMs" (did you mean "latencyMs"?)');
  });
  it('--json errors print {"error":{...}} on stdout', async () => {
    const r = await runCli(['health', '--target', 'nope', '--json'], { cwd });
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stdout).error).toMatchObject({ exitCode: 3 });
  });
});

describe('connection failures', () => {
  let d: TestDeployment;
  let tls: TestDeployment;
  beforeAll(async () => {
    [d, tls] = await startDeployments({ topology: 'standalone', acl: true }, { topology: 'standalone', acl: true, tls: true });
  });
  afterAll(async () => {
    await Promise.all([d?.stop(), tls?.stop()]);
  });

  it('wrong password -> exit 4, and the password appears nowhere', async () => {
    const port = d.state.nodes[0]!.port;
    const secret = 'not-the-right-password-4242';
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const r = await runCli(['health', '--url', `redis://admin:${secret}@127.0.0.1:${port}`, ...extra]);
      expect(r.exitCode).toBe(4);
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout + r.stderr).toMatch(/authentication failed/);
    }
    const viaEnv = await runCli(['health', '--url', `redis://admin@127.0.0.1:${port}`], { env: { REDIS_PASSWORD: secret } });
    expect(viaEnv.exitCode).toBe(4);
    expect(viaEnv.stdout + viaEnv.stderr).not.toContain(secret);
  });

  it('closed port -> exit 5 within the timeout', async () => {
    const [port] = await freePorts(1);
    const t0 = Date.now();
    const r = await runCli(['health', '--url', `redis://127.0.0.1:${port}`, '--timeout', '2s']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/connection refused/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('unanswered connect (TLS port spoken to in plaintext) -> exit 5 within the timeout', async () => {
    const port = tls.state.nodes[0]!.port;
    const t0 = Date.now();
    const r = await runCli(['health', '--url', `redis://127.0.0.1:${port}`, '--timeout', '1s']);
    expect(r.exitCode).toBe(5);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('TLS client without a certificate against mutual TLS -> exit 5 with a TLS hint', async () => {
    const port = tls.state.nodes[0]!.port;
    const r = await runCli(['health', '--url', `rediss://admin@127.0.0.1:${port}`, '--tls-ca', tls.state.tlsFiles!.ca, '--password-file', tls.state.passwordFile!, '--timeout', '3s']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/TLS/);
    expect(r.stderr).toMatch(/--tls-cert/);
  });

  it('TLS client without the CA -> exit 5 naming the untrusted certificate', async () => {
    const port = tls.state.nodes[0]!.port;
    const r = await runCli(['health', '--url', `rediss://admin@127.0.0.1:${port}`, '--password-file', tls.state.passwordFile!, '--timeout', '3s']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/--tls-ca/);
  });

  it('with the full TLS material and --json, health passes and the JSON holds every table value', async () => {
    const port = tls.state.nodes[0]!.port;
    const f = tls.state.tlsFiles!;
    const args = ['health', '--url', `rediss://admin@127.0.0.1:${port}`, '--tls-ca', f.ca, '--tls-cert', f.cert, '--tls-key', f.key, '--password-file', tls.state.passwordFile!, '--samples', '3'];
    const [table, json] = await Promise.all([runCli(args), runCli([...args, '--json'])]);
    expect(json.exitCode).toBe(0);
    expect(table.exitCode).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.tls).toBe(true);
    expect(table.stdout).not.toMatch(ANSI);
    const jsonValues = new Set<string>();
    for (const n of report.nodes) for (const c of n.checks) jsonValues.add(`${n.address}\t${c.check}\t${c.status}`);
    for (const c of report.deployment) jsonValues.add(`deployment\t${c.check}\t${c.status}`);
    const rows = table.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.length).toBe(jsonValues.size);
    for (const r of rows) {
      // latency values differ between the two runs; the check, node and verdict columns must match.
      if (r[2] === 'latency') continue;
      expect(jsonValues.has(`${r[0]}\t${r[2]}\t${r[3]}`)).toBe(true);
    }
    expect(table.stdout + table.stderr + json.stdout).not.toContain(await readFile(tls.state.passwordFile!, 'utf8').then((s) => s.trim()));
  });

  it('colour only on a terminal, and never with NO_COLOR', async () => {
    const port = d.state.nodes[0]!.port;
    const cmd = `node ${BIN} health --url redis://admin@127.0.0.1:${port} --password-file ${d.state.passwordFile} --samples 2`;
    const tty = await execa('script', ['-qec', cmd, '/dev/null'], { reject: false, env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm' } });
    expect(tty.stdout).toMatch(ANSI);
    const noColor = await execa('script', ['-qec', cmd, '/dev/null'], { reject: false, env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: '1', TERM: 'xterm' } });
    expect(noColor.stdout).not.toMatch(ANSI);
    expect(noColor.stdout).toMatch(/PASS/);
    const flag = await execa('script', ['-qec', `${cmd} --no-color`, '/dev/null'], { reject: false, env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm' } });
    expect(flag.stdout).not.toMatch(ANSI);
  });
});

describe('gridctl up / down', () => {
  it('up --topology cluster then down leaves no process and no port behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-up-'));
    const runDir = path.join(dir, 'run');
    try {
      const up = await runCli(['up', '--topology', 'cluster', '--acl', '--run-dir', runDir, '--json'], { timeoutMs: 120_000 });
      expect(up.exitCode).toBe(0);
      const state = JSON.parse(up.stdout);
      expect(state.nodes).toHaveLength(6);
      expect(up.stdout).not.toContain(await readFile(state.passwordFile, 'utf8').then((s) => s.trim()));
      for (const n of state.nodes) expect(isAlive(n.pid)).toBe(true);

      const health = await runCli(['health', '--run-dir', runDir, '--json', '--samples', '2']);
      expect(health.exitCode).toBe(0);
      expect(JSON.parse(health.stdout).topology).toBe('cluster');

      const again = await runCli(['up', '--run-dir', runDir]);
      expect(again.exitCode).toBe(3);
      expect(again.stderr).toMatch(/already running/);

      const down = await runCli(['down', '--run-dir', runDir]);
      expect(down.exitCode).toBe(0);
      for (const n of state.nodes) {
        expect(isAlive(n.pid)).toBe(false);
        expect(await isPortOpen(n.port)).toBe(false);
        expect(await isPortOpen(n.busPort)).toBe(false);
      }
      const downAgain = await runCli(['down', '--run-dir', runDir]);
      expect(downAgain.exitCode).toBe(0);
      expect(downAgain.stderr).toMatch(/nothing is running/);
    } finally {
      await runCli(['down', '--run-dir', runDir]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('missing redis-server -> exit 3 with the apt command', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-nopath-'));
    // A PATH with node and nothing else (node may share /usr/bin with redis-server).
    await mkdir(path.join(dir, 'bin'));
    await symlink(process.execPath, path.join(dir, 'bin', 'node'));
    const r = await runCli(['up', '--run-dir', path.join(dir, 'run')], { env: { PATH: path.join(dir, 'bin') } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/redis-server or valkey-server not found on PATH/);
    expect(r.stderr).toMatch(/apt-get install -y redis-server/);
    await rm(dir, { recursive: true, force: true });
  });
});
