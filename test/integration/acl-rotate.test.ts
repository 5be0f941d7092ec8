import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rename, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { connectMain, connectNode } from '../../src/core/redis/connect.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { rotateAclUser, type RotateOptions } from '../../src/core/acl/rotate.js';
import { startDaemon, stopProcess } from '../../src/core/local/process.js';
import { findBinary } from '../../src/core/local/binaries.js';
import { pidFileOf } from '../../src/core/local/launch.js';
import type { ConnectionSpec } from '../../src/core/redis/spec.js';
import type { LocalNode } from '../../src/core/local/state.js';

const OLD = 'old-app-password-0123456789abcdef0123456789';

/** The app user on every node (Sentinels too: clients ask them for the master as this user). */
async function createAppUser(t: TestDeployment): Promise<void> {
  for (const n of t.state.nodes) {
    const client = await t.node(n);
    const rules = n.role === 'sentinel' ? ['-@all', '+ping', '+sentinel|get-master-addr-by-name', '+sentinel|sentinels', '+sentinel|replicas', '+client|setname'] : ['~*', '&*', '+@all', '-@dangerous', '+info'];
    await client.call('ACL', 'SETUSER', 'app', 'on', `>${OLD}`, ...rules);
    client.disconnect();
  }
}

function withPassword(spec: ConnectionSpec, username: string, password: string): ConnectionSpec {
  const auth = { username, password };
  return { ...spec, auth, ...(spec.sentinel ? { sentinel: { ...spec.sentinel, auth } } : {}) };
}

const appSpec = (t: TestDeployment, password: string) => withPassword(t.spec, 'app', password);

const isAuthError = (err: unknown) => /NOAUTH|WRONGPASS|AUTH_FAILED|invalid username-password/i.test(`${(err as Error).message} ${(err as { code?: string }).code ?? ''}`);

/**
 * A gateway-like client: every round opens a new connection (through the Sentinels, or to the
 * Cluster) with the password it currently holds and writes. A round that fails for a reason other
 * than auth (a failover in progress) is retried; an auth failure is never retried: it is the bug.
 */
function startWriter(t: TestDeployment) {
  const w = { password: OLD, rounds: 0, authFailures: [] as string[], failedRounds: 0, stop: false, done: Promise.resolve() };
  w.done = (async () => {
    while (!w.stop) {
      let ok = false;
      for (let attempt = 0; attempt < 40 && !ok && !w.stop; attempt++) {
        let client;
        try {
          client = await connectMain(appSpec(t, w.password));
          await client.set(`rotate:{w}:${w.rounds}`, String(w.rounds));
          ok = (await client.get(`rotate:{w}:${w.rounds}`)) === String(w.rounds);
        } catch (err) {
          if (isAuthError(err)) {
            w.authFailures.push((err as Error).message);
            break;
          }
          await sleep(100);
        } finally {
          client?.disconnect();
        }
      }
      if (ok) w.rounds++;
      else if (!w.stop) w.failedRounds++;
    }
  })();
  return w;
}

async function accepts(t: TestDeployment, n: LocalNode, password: string): Promise<boolean> {
  try {
    const client = await connectNode(appSpec(t, password), n, { sentinel: n.role === 'sentinel' });
    client.disconnect();
    return true;
  } catch (err) {
    if (isAuthError(err)) return false;
    throw err;
  }
}

const rotate = (t: TestDeployment, dir: string, action: RotateOptions['action'], extra: Partial<RotateOptions> = {}) =>
  rotateUser(t, 'app', action, { stateFile: path.join(dir, 'state.json'), secretFile: path.join(dir, 'app.env'), ...extra });

async function rotateUser(t: TestDeployment, user: string, action: RotateOptions['action'], extra: Partial<RotateOptions> & Pick<RotateOptions, 'stateFile'>) {
  const dep = await Deployment.open(t.spec);
  try {
    return await rotateAclUser(dep, {
      user,
      action,
      dryRun: false,
      force: false,
      includeFiles: [],
      watchMs: 0,
      confirm: async () => true,
      ...extra,
    });
  } finally {
    await dep.close();
  }
}

/** After --finish: the writer keeps going, was never refused, and every node takes only the new password. */
async function expectRotated(t: TestDeployment, writer: ReturnType<typeof startWriter>, NEW: string): Promise<void> {
  const last = writer.rounds;
  await waitFor('rounds after finish', async () => writer.rounds > last + 3);
  writer.stop = true;
  await writer.done;
  expect(writer.authFailures).toEqual([]);
  expect(writer.failedRounds).toBe(0);
  for (const n of t.state.nodes) {
    expect([n.name, await accepts(t, n, OLD)]).toEqual([n.name, false]);
    expect([n.name, await accepts(t, n, NEW)]).toEqual([n.name, true]);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('acl rotate on Sentinel (TLS, ACL), a failover between the phases', () => {
  let t: TestDeployment;
  let dir: string;
  beforeAll(async () => {
    t = await startDeployment({ topology: 'sentinel', tls: true, acl: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-rotate-'));
    await createAppUser(t);
  }, 120_000);
  afterAll(async () => t?.stop());

  it('a dry run changes nothing', async () => {
    const report = await rotate(t, dir, 'start', { dryRun: true });
    expect(report.nodes).toHaveLength(6);
    expect(report.nodes.every((n) => n.change === 'add-new' && n.planned && n.acceptsOld && !n.acceptsNew)).toBe(true);
    await expect(stat(path.join(dir, 'state.json'))).rejects.toThrow(/ENOENT/);
    await expect(stat(path.join(dir, 'app.env'))).rejects.toThrow(/ENOENT/);
  });

  it('rotates the app user while a writer runs: 0 refused, old refused and new accepted on every node after', async () => {
    const writer = startWriter(t);
    await waitFor('the writer', async () => writer.rounds > 3);
    // A replica that cannot persist (its config file's folder is gone, so CONFIG REWRITE fails):
    // phase 1 stops short of the secret file and says exactly what that node has.
    const stuck = t.state.nodes.find((n) => n.role === 'replica')!;
    await rename(stuck.dataDir, `${stuck.dataDir}.away`);
    const partial = await rotate(t, dir, 'start').finally(() => rename(`${stuck.dataDir}.away`, stuck.dataDir));
    expect(partial.complete).toBe(false);
    expect(partial.phase).toBe('adding');
    const failed = partial.nodes.filter((n) => n.change === 'failed');
    expect(failed.map((n) => [n.address, n.acceptsOld, n.acceptsNew])).toEqual([[`127.0.0.1:${stuck.port}`, true, true]]);
    expect(failed[0]!.error).toMatch(/Rewriting config file/i);
    expect(partial.nodes.every((n) => n.acceptsOld)).toBe(true);
    expect(partial.next).toMatch(/every node still accepts the old password/);
    await expect(stat(path.join(dir, 'app.env'))).rejects.toThrow(/ENOENT/);
    expect((await stat(path.join(dir, 'app.env.pending'))).mode & 0o777).toBe(0o600);
    const phase1 = await rotate(t, dir, 'start');
    expect(phase1.complete).toBe(true);
    // The rerun added nothing (the earlier run's ACL SETUSER had reached every node) and persisted everywhere.
    expect(phase1.nodes.map((n) => [n.role, n.change, n.acceptsOld, n.acceptsNew])).toEqual([
      ['master', 'none', true, true],
      ['replica', 'none', true, true],
      ['replica', 'none', true, true],
      ['sentinel', 'none', true, true],
      ['sentinel', 'none', true, true],
      ['sentinel', 'none', true, true],
    ]);
    await expect(stat(path.join(dir, 'app.env.pending'))).rejects.toThrow(/ENOENT/);
    expect(phase1.nodes.filter((n) => n.role !== 'sentinel').every((n) => n.persisted === 'config rewrite')).toBe(true);
    expect(phase1.nodes.filter((n) => n.role === 'sentinel').every((n) => n.persisted === 'sentinel flushconfig')).toBe(true);
    const secret = await readFile(path.join(dir, 'app.env'), 'utf8');
    expect((await stat(path.join(dir, 'app.env'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    const NEW = /^REDIS_PASSWORD=(\w+)$/m.exec(secret)![1]!;
    expect(NEW).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).not.toContain(NEW);
    // Persisted: the master's redis.conf now holds both hashes.
    const conf = await readFile(t.state.nodes[0]!.configFile, 'utf8');
    expect(conf).toMatch(/^user app on #[0-9a-f]{64} #[0-9a-f]{64} /m);
    writer.password = NEW;
    const rounds = writer.rounds;
    await waitFor('rounds with the new password', async () => writer.rounds > rounds + 3);

    const sentinel = await t.node(t.state.nodes.find((n) => n.role === 'sentinel')!);
    const before = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'gridtokenx')) as string[];
    await sentinel.call('SENTINEL', 'FAILOVER', 'gridtokenx');
    await waitFor('the failover', async () => ((await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'gridtokenx')) as string[])[1] !== before[1]);
    sentinel.disconnect();
    const afterFailover = writer.rounds;
    await waitFor('rounds after the failover', async () => writer.rounds > afterFailover + 3, 60_000);

    const finish = await rotate(t, dir, 'finish', { watchMs: 1500 });
    expect(finish.refused).toBeUndefined();
    expect(finish.complete).toBe(true);
    expect(finish.nodes).toHaveLength(6);
    expect(finish.nodes.every((n) => n.change === 'remove-old' && !n.acceptsOld && n.acceptsNew)).toBe(true);
    expect(finish.nodes.find((n) => n.role === 'master')!.address).not.toBe(`${before[0]}:${before[1]}`);
    await expectRotated(t, writer, NEW);
  }, 180_000);
  it('rotating the admin user moves masterauth, auth-pass and sentinel-pass: replication and a failover still work after every link reconnects', async () => {
    const NEW = 'new-admin-password-fedcba9876543210fedcba9876';
    await writeFile(path.join(dir, 'admin.new'), NEW + '\n', { mode: 0o600 });
    const files = { stateFile: path.join(dir, 'admin-state.json'), secretFile: path.join(dir, 'admin.pass'), newPasswordFile: path.join(dir, 'admin.new') };
    const phase1 = await rotateUser(t, 'admin', 'start', files);
    expect(phase1.complete).toBe(true);
    const links = (kind: string) => phase1.links.filter((l) => l.kind === kind && l.change === 'set').length;
    expect([links('masterauth'), links('sentinel auth-pass'), links('sentinel sentinel-pass')]).toEqual([3, 3, 3]);
    // The Sentinels' own connections (as admin) are older than phase 1: --finish needs --force.
    const refused = await rotateUser(t, 'admin', 'finish', files);
    expect(refused.refused).toMatch(/connection\(s\) of "admin" opened before/);
    const finish = await rotateUser(t, 'admin', 'finish', { ...files, force: true });
    expect(finish.complete).toBe(true);
    const spec = withPassword(t.spec, 'admin', NEW);
    // Every server-to-server link reconnects now, so only the new password can carry it.
    for (const n of t.state.nodes) {
      const c = await connectNode(spec, n, { sentinel: n.role === 'sentinel' });
      await c.call('CLIENT', 'KILL', 'USER', 'admin', 'SKIPME', 'yes');
      c.disconnect();
    }
    const sentinels = await Promise.all(t.state.nodes.filter((n) => n.role === 'sentinel').map((n) => connectNode(spec, n, { sentinel: true })));
    const sentinel = sentinels[0]!;
    const master = async () => (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'gridtokenx')) as string[];
    // Every Sentinel must have seen both replicas report the replica role: one that still remembers a
    // demoted master as "master" (it polls INFO every 10 s) converts the next promoted node straight back.
    const linksUp = async () => {
      for (const s of sentinels) {
        const replicas = ((await s.call('SENTINEL', 'REPLICAS', 'gridtokenx')) as string[][]).map((r) => (field: string) => r[r.indexOf(field) + 1]);
        const ready = replicas.length === 2 && replicas.every((r) => r('flags') === 'slave' && r('master-link-status') === 'ok' && r('role-reported') === 'slave');
        if (!ready) return false;
      }
      return true;
    };
    await waitFor('replication links with the new masterauth', linksUp, 60_000);
    const before = await master();
    await sentinel.call('SENTINEL', 'FAILOVER', 'gridtokenx');
    await waitFor('a failover with the new auth-pass', async () => (await master())[1] !== before[1], 60_000);
    await waitFor('replication after the failover', linksUp, 60_000);
    for (const s of sentinels) s.disconnect();
    for (const n of t.state.nodes) {
      await expect(connectNode(withPassword(t.spec, 'admin', t.password!), n, { sentinel: n.role === 'sentinel' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    }
  }, 180_000);
});

describe('acl rotate on a Cluster (TLS, ACL), a node killed between the phases', () => {
  let t: TestDeployment;
  let dir: string;
  // state.json keeps the first pid: a node restarted here is stopped here.
  const restarted: number[] = [];
  beforeAll(async () => {
    t = await startDeployment({ topology: 'cluster', tls: true, acl: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-rotate-'));
    await createAppUser(t);
  }, 120_000);
  afterAll(async () => {
    for (const pid of restarted) await stopProcess(pid);
    await t?.stop();
  });

  it('refuses to finish while a node is down, and a rerun after its restart completes; the writer is never refused', async () => {
    const NEW = 'new-app-password-fedcba9876543210fedcba98765';
    await writeFile(path.join(dir, 'new.pass'), NEW + '\n', { mode: 0o600 });
    const writer = startWriter(t);
    await waitFor('the writer', async () => writer.rounds > 3);
    const phase1 = await rotate(t, dir, 'start', { newPasswordFile: path.join(dir, 'new.pass') });
    expect(phase1.complete).toBe(true);
    expect(phase1.nodes).toHaveLength(6);
    expect(phase1.nodes.every((n) => n.change === 'add-new' && n.acceptsOld && n.acceptsNew)).toBe(true);
    // A rerun of phase 1 is idempotent: nothing left to add.
    const again = await rotate(t, dir, 'start');
    expect(again.complete).toBe(true);
    expect(again.nodes.every((n) => n.change === 'none')).toBe(true);
    writer.password = NEW;

    const victim = t.state.nodes.find((n) => n.role === 'replica')!;
    await stopProcess(victim.pid);
    await expect(rotate(t, dir, 'finish')).rejects.toThrow(new RegExp(`cannot be reached: .*127\\.0\\.0\\.1:${victim.port}.*nothing was changed`));
    for (const n of t.state.nodes.filter((x) => x !== victim)) expect([n.name, await accepts(t, n, OLD)]).toEqual([n.name, true]);

    victim.pid = await startDaemon(await findBinary('redis-server'), victim.configFile, pidFileOf(victim), victim.logFile);
    restarted.push(victim.pid);
    await waitFor('the restarted replica', async () => accepts(t, victim, NEW));
    const finish = await rotate(t, dir, 'finish');
    expect(finish.complete).toBe(true);
    expect(finish.nodes).toHaveLength(6);
    expect(finish.nodes.every((n) => !n.acceptsOld && n.acceptsNew)).toBe(true);
    await expectRotated(t, writer, NEW);
  }, 180_000);
});
