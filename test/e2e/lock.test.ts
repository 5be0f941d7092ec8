import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { BIN, runCli } from '../helpers/cli.js';

let dep: TestDeployment;
let raw: Redis;
let tmp: string;
let env: Record<string, string>;

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  raw = (await dep.client()) as Redis;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gridctl-e2e-lock-'));
  env = { GRIDCTL_AUDIT_LOG: path.join(tmp, 'audit.jsonl') };
});
afterAll(async () => {
  raw?.disconnect();
  await dep?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await raw.flushall();
});

const gridctl = (args: string[]) => runCli([...args, ...dep.cliArgs], { env });
const waitFor = async (what: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
};

/** Running (not gone, not a zombie waiting for a reaper): the third field of /proc/PID/stat. */
const running = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};

describe('gridctl lock run', () => {
  it('two concurrent runs on one name: exactly one command runs, the other exits 1 LOCKED', async () => {
    const marker = path.join(tmp, 'ran.txt');
    const args = ['lock', 'run', 'nightly', '--ttl', '5s', ...dep.cliArgs, '--', 'sh', '-c', `echo ran >> ${marker}; sleep 1.5`];
    const [a, b] = await Promise.all([runCli(args, { env }), runCli(args, { env })]);
    expect([a.exitCode, b.exitCode].sort()).toEqual([0, 1]);
    const loser = a.exitCode === 1 ? a : b;
    expect(loser.stderr).toContain('lock:nightly is already locked');
    expect((await readFile(marker, 'utf8')).trim().split('\n')).toEqual(['ran']);
    expect(await raw.exists('lock:nightly')).toBe(0);
  });

  it('exits with the command\'s code and LOCKED --json carries the error code', async () => {
    const r = await runCli(['lock', 'run', 'code', '--ttl', '2s', ...dep.cliArgs, '--', 'sh', '-c', 'exit 7'], { env });
    expect(r.exitCode).toBe(7);
    await raw.set('lock:code', 'someone', 'EX', 30);
    const j = await runCli(['lock', 'run', 'code', '--ttl', '2s', '--json', ...dep.cliArgs, '--', 'true'], { env });
    expect(j.exitCode).toBe(1);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'LOCKED', exitCode: 1 });
  });

  it('forwards SIGTERM to the command and exits with its code, releasing the lock', async () => {
    const child = execa('node', [BIN, 'lock', 'run', 'sig', '--ttl', '3s', ...dep.cliArgs, '--', 'sh', '-c', "trap 'echo got-term; kill $!; exit 42' TERM; sleep 30 & wait"], {
      reject: false,
      env: { ...process.env, FORCE_COLOR: '0', CI: 'true' },
      stdin: 'ignore',
    });
    await waitFor(async () => (await raw.exists('lock:sig')) === 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    const r = await child;
    expect(r.exitCode).toBe(42);
    expect(String(r.stdout)).toContain('got-term');
    expect(await raw.exists('lock:sig')).toBe(0);
  });

  it('a holder killed with SIGKILL: the lock stops being extended, list shows it expiring, then it expires by TTL', async () => {
    const pidFile = path.join(tmp, 'orphan.pid');
    const holder = execa('node', [BIN, 'lock', 'run', 'killed', '--ttl', '9s', ...dep.cliArgs, '--', 'sh', '-c', `echo $$ > ${pidFile}; exec sleep 60`], {
      reject: false,
      env: { ...process.env, FORCE_COLOR: '0', CI: 'true' },
      // Nothing here reads the command's output.
      stdio: 'ignore',
    });
    try {
      await waitFor(async () => (await raw.exists('lock:killed')) === 1, 10_000);
      const token = await raw.get('lock:killed');
      const alive = JSON.parse((await gridctl(['lock', 'list', '--json'])).stdout);
      expect(alive.locks[0]).toMatchObject({ resource: 'killed', state: 'held', token });
      holder.kill('SIGKILL');
      await holder;
      let seenExpiring = false;
      await waitFor(async () => {
        const r = JSON.parse((await gridctl(['lock', 'list', '--json'])).stdout);
        const l = r.locks.find((x: { resource: string }) => x.resource === 'killed');
        if (l?.state === 'expiring') {
          seenExpiring = true;
          expect(l.token).toBe(token);
          expect(l.ttlMs).toBeLessThanOrEqual(5000);
        }
        return !l;
      }, 15_000);
      expect(seenExpiring).toBe(true);
      const gone = await gridctl(['lock', 'inspect', 'killed']);
      expect(gone.exitCode).toBe(1);
      expect(gone.stderr).toContain('no lock lock:killed');
    } finally {
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      if (pid && (await running(pid))) process.kill(pid, 'SIGKILL');
    }
  }, 40_000);
});

describe('gridctl lock run: kill -9 of gridctl (issue 24 item 10)', () => {
  it('the command\'s process group is gone within seconds, and a second holder\'s command never overlaps it', async () => {
    const pids = path.join(tmp, 'first.pids');
    // The shell and a background child of it: the whole group must go, not just the direct child.
    const script = `sleep 30 & echo $! >> ${pids}; echo $$ >> ${pids}; wait`;
    const first = execa('node', [BIN, 'lock', 'run', 'solo', '--ttl', '4s', ...dep.cliArgs, '--', 'sh', '-c', script], {
      reject: false,
      env: { ...process.env, FORCE_COLOR: '0', CI: 'true' },
      stdio: 'ignore',
    });
    let started: number[] = [];
    try {
      await waitFor(async () => (started = (await readFile(pids, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).map(Number)).length === 2, 10_000);
      expect(await raw.exists('lock:solo')).toBe(1);
      first.kill('SIGKILL');
      await first;
      // A second holder waits for the lock; its command looks for the first one's processes.
      const check = `for p in ${started.join(' ')}; do s=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ] && echo "OVERLAP $p"; done; echo second-ran`;
      const second = runCli(['lock', 'run', 'solo', '--ttl', '4s', '--wait', '30s', ...dep.cliArgs, '--', 'sh', '-c', check], { env });
      await waitFor(async () => !(await running(started[0]!)) && !(await running(started[1]!)), 10_000);
      const r = await second;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('second-ran');
      expect(r.stdout).not.toContain('OVERLAP');
    } finally {
      for (const pid of started) if (await running(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});

describe('gridctl lock list / release', () => {
  it('reports a lock without TTL as stuck and exits 1', async () => {
    await raw.set('lock:token_minting', '504abedd-e05a-4414-ab56-228f98429b81');
    await raw.set('lock:order_matching:GRX', '0123456789abcdef0123456789abcdef', 'EX', 60);
    const r = await gridctl(['lock', 'list']);
    expect(r.exitCode).toBe(1);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows[0]!.slice(0, 5)).toEqual(['token_minting', '504abedd…9b81', 'none', 'stuck', 'uuid']);
    expect(rows[1]!.slice(3, 5)).toEqual(['held', 'redlock-hex']);
    expect(r.stderr).toContain('1 stuck (no TTL)');
  });

  it('release with a wrong token changes nothing and exits 1; the right token releases', async () => {
    const acq = await gridctl(['lock', 'acquire', 'job', '--ttl', '30s']);
    expect(acq.exitCode).toBe(0);
    const token = acq.stdout.trim();
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const wrong = await gridctl(['lock', 'release', 'job', '--token', 'nope']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('held by another token');
    expect(await raw.get('lock:job')).toBe(token);
    const ext = await gridctl(['lock', 'extend', 'job', '--token', token, '--ttl', '120s']);
    expect(ext.exitCode).toBe(0);
    expect(await raw.pttl('lock:job')).toBeGreaterThan(100_000);
    const ok = await gridctl(['lock', 'release', 'job', '--token', token]);
    expect(ok.exitCode).toBe(0);
    expect(await raw.exists('lock:job')).toBe(0);
  });

  it('release --force needs --yes without a TTY (exit 3), then prints the removed token and appends an audit record', async () => {
    await raw.set('lock:settlement_processing', 'f00dfeedf00dfeedf00dfeedf00dfeed');
    const refused = await gridctl(['lock', 'release', 'settlement_processing', '--force']);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('--yes required');
    expect(await raw.exists('lock:settlement_processing')).toBe(1);
    const json = await gridctl(['lock', 'release', 'settlement_processing', '--force', '--json']);
    expect(JSON.parse(json.stdout).error.code).toBe('CONFIRMATION_REQUIRED');
    const r = await gridctl(['lock', 'release', 'settlement_processing', '--force', '--yes', '--reason', 'incident 4711']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('removed token f00dfeed…feed');
    const audit = (await readFile(env.GRIDCTL_AUDIT_LOG!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ key: 'lock:settlement_processing', removed: 'f00dfeedf00dfeedf00dfeedf00dfeed', reason: 'incident 4711' });
  });

  it('rejects bad flags before connecting', async () => {
    const r = await runCli(['lock', 'acquire', 'x', '--ttl', 'soon', '--url', 'redis://127.0.0.1:1']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('invalid --ttl "soon"');
    const both = await runCli(['lock', 'release', 'x', '--url', 'redis://127.0.0.1:1']);
    expect(both.exitCode).toBe(3);
    expect(both.stderr).toContain('exactly one of --token');
  });
});
