import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { testContext } from '../helpers/context.js';
import report from '../../src/commands/security/report.js';
import { connectNode } from '../../src/core/redis/connect.js';
import type { LocalNode } from '../../src/core/local/state.js';

const APP = 'app-password-0123456789abcdef0123456789abcdef';
const WRONG = 'wrong-password-that-is-never-printed-0123456';

async function tryLogin(t: TestDeployment, n: LocalNode, password: string): Promise<void> {
  const spec = { ...t.spec, auth: { username: 'app', password }, ...(t.spec.sentinel ? { sentinel: { ...t.spec.sentinel, auth: { username: 'app', password } } } : {}) };
  await connectNode(spec, n, { sentinel: n.role === 'sentinel' }).then((c) => c.disconnect(), () => undefined);
}

async function run(t: TestDeployment, format?: 'prometheus', since?: string) {
  const c = testContext({ global: { runDir: t.cliArgs[1]! } });
  const opts = { ...(format ? { format } : {}), ...(since ? { since } : {}) };
  const r = await report.run(opts, c.ctx);
  report.render(r, c.ctx.out, opts);
  return { r, exit: report.verdict!(r, {}), out: c.stdout() + c.stderr() };
}

describe('security report on Sentinel (TLS, ACL): the wrong passwords and NOPERM attempts a client makes', () => {
  let t: TestDeployment;
  let master: LocalNode;
  let sentinel: LocalNode;
  beforeAll(async () => {
    t = await startDeployment({ topology: 'sentinel', tls: true, acl: true });
    master = t.state.nodes.find((n) => n.role === 'master')!;
    sentinel = t.state.nodes.find((n) => n.role === 'sentinel')!;
    for (const n of t.state.nodes) {
      const admin = await t.node(n);
      await admin.call('ACL', 'SETUSER', 'app', 'on', `>${APP}`, ...(n.role === 'sentinel' ? ['-@all', '+ping', '+client|setname'] : ['~order:*', '-@all', '+@read', '+@write', '-@dangerous', '+ping', '+client|setname']));
      admin.disconnect();
    }
    for (let i = 0; i < 3; i++) await tryLogin(t, master, WRONG);
    await tryLogin(t, sentinel, WRONG);
    const app = await connectNode({ ...t.spec, auth: { username: 'app', password: APP } }, master);
    await app.call('FLUSHALL').catch(() => undefined);
    await app.call('FLUSHALL').catch(() => undefined);
    await app.get('user:profile:1').catch(() => undefined);
    app.disconnect();
  }, 120_000);
  afterAll(async () => t?.stop());

  it('groups them by reason, user and client with their counts, over every node; exit 1; no password printed', async () => {
    const { r, exit, out } = await run(t);
    expect(exit).toBe(1);
    const on = (node: LocalNode, reason: string) => r.denied.find((g) => g.node === `127.0.0.1:${node.port}` && g.reason === reason && g.user === 'app');
    expect(on(master, 'auth')).toMatchObject({ count: 3, client: '127.0.0.1', objects: ['auth'] });
    expect(on(master, 'command')).toMatchObject({ count: 2, client: '127.0.0.1', objects: ['flushall'] });
    expect(on(master, 'key')).toMatchObject({ count: 1, objects: ['user:profile:1'] });
    expect(on(sentinel, 'auth')).toMatchObject({ count: 1, client: '127.0.0.1' });
    expect(r.nodes).toHaveLength(6);
    expect(r.nodes.every((n) => !n.defaultUser.enabled)).toBe(true);
    expect(r.nodes.filter((n) => n.role !== 'sentinel').every((n) => n.protectedMode === true)).toBe(true);
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['auth-failures', 'permission-denied']));
    expect(r.findings.find((f) => f.id === 'auth-failures')!.message).toMatch(/^4 failed authentication\(s\) in ACL LOG, from 127\.0\.0\.1$/);
    const app = r.users.find((u) => u.user === 'app')!;
    expect(app).toMatchObject({ enabled: true, nopass: false, allCommands: false, dangerous: [] });
    expect(r.users.find((u) => u.user === 'admin')!.dangerous.sort()).toEqual(['CONFIG GET', 'DEBUG', 'FLUSHALL', 'KEYS', 'MODULE']);
    // Every client reaches these nodes over TLS (tls-port only).
    expect(r.tlsShare).toBe(1);
    for (const secret of [APP, WRONG, t.password!]) expect(out).not.toContain(secret);
    expect(out).toMatch(/127\.0\.0\.1:\d+\tauth\tapp\t127\.0\.0\.1\t3\tauth\t-\t\d{4}-/);
  });

  it('--format prometheus: one series per refused reason, user and client to alert on', async () => {
    const { out } = await run(t, 'prometheus');
    expect(out).toContain(`gridctl_security_acl_denied{node="127.0.0.1:${master.port}",reason="auth",user="app",client="127.0.0.1"} 3`);
    expect(out).toContain(`gridctl_security_acl_denied{node="127.0.0.1:${master.port}",reason="command",user="app",client="127.0.0.1"} 2`);
    expect(out).toContain(`gridctl_security_clients{node="127.0.0.1:${master.port}",transport="plain"} 0`);
    expect(out).toMatch(/gridctl_security_findings\{severity="warning"\} [1-9]/);
    expect(out).not.toContain(WRONG);
  });

  it('--since FILE: the first run reports what ACL LOG holds, the next one only what is new', async () => {
    const since = path.join(await mkdtemp(path.join(os.tmpdir(), 'gridctl-since-')), 'security.state');
    const first = await run(t, undefined, since);
    expect(first.r.since).toEqual({ file: since, previousRun: null });
    expect(first.r.denied.find((g) => g.reason === 'auth' && g.node === `127.0.0.1:${master.port}`)!.count).toBe(3);
    expect((await stat(since)).mode & 0o777).toBe(0o600);
    await tryLogin(t, master, WRONG);
    const next = await run(t, undefined, since);
    expect(next.r.since!.previousRun).toBe(first.r.generatedAt);
    expect(next.r.denied.map((g) => [g.node, g.reason, g.count])).toEqual([[`127.0.0.1:${master.port}`, 'auth', 1]]);
    expect(next.exit).toBe(1);
    const quiet = await run(t, undefined, since);
    expect(quiet.r.denied).toEqual([]);
    expect(quiet.r.findings.map((f) => f.id)).not.toContain('auth-failures');
  });
});
