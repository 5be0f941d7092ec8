import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { listLocks } from '../../src/core/lock/list.js';
import { inspectLock } from '../../src/core/lock/inspect.js';
import { SingleInstanceLock } from '../../src/core/lock/single-lock.js';
import { acquireWithWait } from '../../src/core/lock/acquire.js';
import { forceReleaseLock } from '../../src/core/lock/force-release.js';
import { runUnderLock } from '../../src/core/lock/run-under-lock.js';

let dep: TestDeployment;
let deployment: Deployment;
let raw: Redis;
const settings = { patterns: ['lock:*'], prefix: 'lock:', expiringBelowMs: 5000 };
const UUID = '504abedd-e05a-4414-ab56-228f98429b81';
/** Temporary directories for audit logs, removed after the file's tests. */
const auditDirs: string[] = [];
async function auditDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'gridctl-audit-'));
  auditDirs.push(d);
  return d;
}

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  deployment = await Deployment.open(dep.spec);
  raw = (await dep.client()) as Redis;
});
afterAll(async () => {
  await deployment?.close();
  raw?.disconnect();
  await dep?.stop();
  await Promise.all(auditDirs.map((d) => rm(d, { recursive: true, force: true })));
});
beforeEach(async () => {
  await raw.flushall();
});

describe('lock list / inspect', () => {
  it('reports held, expiring and stuck locks with their formats, stuck first', async () => {
    await raw.set('lock:order_matching:GRX', UUID, 'EX', 30);
    await raw.set('lock:settlement_processing', '0123456789abcdef0123456789abcdef', 'PX', 2000);
    await raw.set('lock:token_minting', 'worker-7');
    await raw.hset('lock:redisson', '0f8fad5b-d9cb-469f-a165-70867728950e:42', '2');
    await raw.pexpire('lock:redisson', 60_000);
    await raw.set('user:session:x', 'not a lock');
    const r = await listLocks(deployment, settings);
    expect(r.summary).toEqual({ total: 4, held: 2, expiring: 1, stuck: 1 });
    const byRes = Object.fromEntries(r.locks.map((l) => [l.resource, l]));
    expect(r.locks[0]!.resource).toBe('token_minting');
    expect(byRes['token_minting']).toMatchObject({ state: 'stuck', ttlMs: null, format: 'opaque', token: 'worker-7' });
    expect(byRes['order_matching:GRX']).toMatchObject({ state: 'held', format: 'uuid', token: UUID });
    expect(byRes['settlement_processing']).toMatchObject({ state: 'expiring', format: 'redlock-hex' });
    expect(byRes['redisson']).toMatchObject({ state: 'held', format: 'redisson', holders: [{ owner: '0f8fad5b-d9cb-469f-a165-70867728950e:42', count: 2 }] });
    expect(typeof byRes['order_matching:GRX']!.idleSeconds).toBe('number');
  });

  it('inspect returns undefined for a missing lock', async () => {
    expect(await inspectLock(deployment.client, 'lock:none', settings)).toBeUndefined();
  });
});

describe('acquire / extend / release', () => {
  it('acquires once, refuses a second holder, extends and releases by token only', async () => {
    const backend = new SingleInstanceLock(deployment, 'lock:job');
    const a = await acquireWithWait(backend, { ttlMs: 10_000, waitMs: 0 });
    expect(await raw.get('lock:job')).toBe(a.token);
    await expect(acquireWithWait(backend, { ttlMs: 10_000, waitMs: 300 })).rejects.toMatchObject({ code: 'LOCKED', exitCode: 1 });

    const before = await raw.pttl('lock:job');
    const wrong = await backend.release('not-the-token');
    expect(wrong).toMatchObject({ released: false, reason: 'mismatch' });
    // Release with a wrong token changes nothing: same value, TTL not reset or removed.
    expect(await raw.get('lock:job')).toBe(a.token);
    expect(await raw.pttl('lock:job')).toBeLessThanOrEqual(before);
    expect(await raw.pttl('lock:job')).toBeGreaterThan(0);
    expect((await backend.extend('not-the-token', 60_000)).extended).toBe(false);
    expect(await raw.pttl('lock:job')).toBeLessThanOrEqual(10_000);

    expect((await backend.extend(a.token, 60_000)).extended).toBe(true);
    expect(await raw.pttl('lock:job')).toBeGreaterThan(50_000);
    expect(await backend.release(a.token)).toMatchObject({ released: true });
    expect(await raw.exists('lock:job')).toBe(0);
    expect(await backend.release(a.token)).toMatchObject({ released: false, reason: 'absent' });
  });

  it('--wait gets the lock once the holder lets go', async () => {
    await raw.set('lock:w', 'other', 'PX', 400);
    const a = await acquireWithWait(new SingleInstanceLock(deployment, 'lock:w'), { ttlMs: 5000, waitMs: 3000 });
    expect(a.attempts).toBeGreaterThan(1);
    expect(await raw.get('lock:w')).toBe(a.token);
  });
});

describe('forced release', () => {
  it('removes what the operator saw, prints it, and appends an audit record', async () => {
    await raw.set('lock:stuck', UUID);
    const entry = (await inspectLock(deployment.client, 'lock:stuck', settings))!;
    const auditLog = path.join(await auditDir(), 'audit.jsonl');
    const dry = await forceReleaseLock(deployment.client, entry, { env: process.env, auditLog, target: 'test', dryRun: true });
    expect(dry.outcome).toBe('dry-run');
    expect(await raw.exists('lock:stuck')).toBe(1);
    const r = await forceReleaseLock(deployment.client, entry, { env: process.env, auditLog, target: 'test', reason: 'engine gone' });
    expect(r).toMatchObject({ outcome: 'removed', token: UUID, auditLog });
    expect(await raw.exists('lock:stuck')).toBe(0);
    const lines = (await readFile(auditLog, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ action: 'lock.release.force', key: 'lock:stuck', removed: UUID, ttlMsLeft: null, reason: 'engine gone', target: 'test' });
  });

  it('removes nothing when the lock changed hands after confirmation', async () => {
    await raw.set('lock:moving', 'old-token', 'EX', 60);
    const entry = (await inspectLock(deployment.client, 'lock:moving', settings))!;
    await raw.set('lock:moving', 'new-token', 'EX', 60);
    const r = await forceReleaseLock(deployment.client, entry, { env: process.env, auditLog: '/nonexistent/never-written.jsonl', target: 'test' });
    expect(r.outcome).toBe('changed');
    expect(await raw.get('lock:moving')).toBe('new-token');
  });

  it('removes a Redisson hash lock only with the same holders', async () => {
    await raw.hset('lock:rh', 'aaaaaaaa-d9cb-469f-a165-70867728950e:1', '1');
    const entry = (await inspectLock(deployment.client, 'lock:rh', settings))!;
    await raw.hset('lock:rh', 'bbbbbbbb-d9cb-469f-a165-70867728950e:2', '1');
    expect((await forceReleaseLock(deployment.client, entry, { env: process.env, auditLog: '/nonexistent/x', target: 't' })).outcome).toBe('changed');
    await raw.hdel('lock:rh', 'bbbbbbbb-d9cb-469f-a165-70867728950e:2');
    const auditLog = path.join(await auditDir(), 'a.jsonl');
    expect((await forceReleaseLock(deployment.client, entry, { env: process.env, auditLog, target: 't' })).outcome).toBe('removed');
  });
});

describe('run under lock', () => {
  it('runs the command with the token, extends at ttl/3, releases, and returns its exit code', async () => {
    const backend = new SingleInstanceLock(deployment, 'lock:run');
    const r = await runUnderLock({ backend, ttlMs: 600, waitMs: 0, env: process.env, command: ['sh', '-c', 'test -n "$GRIDCTL_LOCK_TOKEN" && sleep 1 && exit 7'] });
    expect(r).toMatchObject({ exitCode: 7, lockLost: false, released: true });
    expect(r.extensions).toBeGreaterThanOrEqual(2);
    expect(await raw.exists('lock:run')).toBe(0);
  });

  it('stops the command and reports it when the lock is taken over', async () => {
    const backend = new SingleInstanceLock(deployment, 'lock:lost');
    const events: string[] = [];
    const run = runUnderLock({ backend, ttlMs: 600, waitMs: 0, env: process.env, command: ['sleep', '20'], killGraceMs: 1000, onEvent: (m) => events.push(m) });
    await new Promise((r) => setTimeout(r, 300));
    await raw.set('lock:lost', 'intruder', 'EX', 30);
    const started = Date.now();
    const r = await run;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.lockLost).toBe(true);
    expect(r.signal).toBe('SIGTERM');
    expect(r.exitCode).toBe(143);
    expect(events.join('\n')).toContain('LOCK LOST');
    // Compare-and-delete: the intruder's lock survives our release.
    expect(await raw.get('lock:lost')).toBe('intruder');
  });

  it('a lost lock stops the command\'s whole process group, not just its direct child', async () => {
    const backend = new SingleInstanceLock(deployment, 'lock:group');
    const pidFile = path.join(await auditDir(), 'grandchild.pid');
    const run = runUnderLock({ backend, ttlMs: 600, waitMs: 0, env: process.env, command: ['sh', '-c', `sleep 20 & echo $! > ${pidFile}; wait`], killGraceMs: 1000 });
    let pid = 0;
    for (let i = 0; i < 50 && !pid; i++) {
      await new Promise((r) => setTimeout(r, 100));
      pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    }
    await raw.set('lock:group', 'intruder', 'EX', 30);
    const r = await run;
    expect(r.lockLost).toBe(true);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat && !/\) Z /.test(stat)) process.kill(pid, 'SIGKILL');
    expect(stat === '' || /\) Z /.test(stat), `grandchild ${pid} still running`).toBe(true);
  });
});

describe('ACL', () => {
  it('lock list works for a read-only user; a forced release is refused with PERMISSION_DENIED', async () => {
    await raw.set('lock:ro', UUID, 'EX', 30);
    await raw.call('ACL', 'SETUSER', 'lockreader', 'on', '>reader-pass-1', 'resetkeys', '~lock:*', 'resetchannels', '-@all', '+ping', '+scan', '+type', '+pttl', '+get', '+hgetall', '+object|idletime');
    const ro = await Deployment.open({ ...dep.spec, auth: { username: 'lockreader', password: 'reader-pass-1' } });
    try {
      const r = await listLocks(ro, settings);
      expect(r.locks.map((l) => l.key)).toEqual(['lock:ro']);
      expect(r.locks[0]!.idleSeconds).not.toBeNull();
      const entry = (await inspectLock(ro.client, 'lock:ro', settings))!;
      await expect(forceReleaseLock(ro.client, entry, { env: process.env, auditLog: '/nonexistent/x', target: 't' })).rejects.toThrow(/NOPERM/);
      expect(await raw.get('lock:ro')).toBe(UUID);
    } finally {
      await ro.close();
      await raw.call('ACL', 'DELUSER', 'lockreader');
    }
  });
});
