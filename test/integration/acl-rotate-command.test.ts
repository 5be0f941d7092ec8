import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { testContext } from '../helpers/context.js';
import rotate from '../../src/commands/acl/rotate.js';
import { connectNode } from '../../src/core/redis/connect.js';
import type { RotateFlags } from '../../src/commands/acl/options.js';

const OLD = 'old-app-password-0123456789abcdef0123456789';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** `gridctl acl rotate` as the binary would run it: next to a gridctl.yaml with init's secrets/app.env and users.acl. */
describe('gridctl acl rotate (standalone): files next to gridctl.yaml, old connections, --force, the ACL LOG watch, --rollback', () => {
  let t: TestDeployment;
  let cwd: string;
  let oldClient: Redis;
  beforeAll(async () => {
    t = await startDeployment({ topology: 'standalone', acl: true });
    cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-rotate-cmd-'));
    await writeFile(path.join(cwd, 'gridctl.yaml'), 'users:\n  app:\n    name: app\n');
    await writeFile(path.join(cwd, 'users.acl'), `user default off resetpass -@all\nuser app on #${sha(OLD)} ~* -@all +@read +@write +ping\n`, { mode: 0o640 });
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(cwd, 'secrets')));
    await writeFile(path.join(cwd, 'secrets', 'app.env'), `# by init\nREDIS_USERNAME=app\nREDIS_PASSWORD=${OLD}\n`, { mode: 0o600 });
    const admin = await t.node(t.state.nodes[0]!);
    await admin.call('ACL', 'SETUSER', 'app', 'on', `>${OLD}`, '~*', '-@all', '+@read', '+@write', '+ping');
    admin.disconnect();
    // A gateway connection opened with the old password, before phase 1.
    oldClient = await connectNode({ ...t.spec, auth: { username: 'app', password: OLD } }, t.state.nodes[0]!);
  }, 60_000);
  afterAll(async () => {
    oldClient?.disconnect();
    await t?.stop();
  });

  const run = async (flags: Omit<RotateFlags, 'user'>, answers?: boolean[]) => {
    const c = testContext({ global: { runDir: t.cliArgs[1]!, yes: answers === undefined }, cwd, ...(answers ? { answers } : {}) });
    const report = await rotate.run({ user: 'app', ...flags }, c.ctx);
    rotate.render(report, c.ctx.out, { user: 'app', ...flags });
    return { report, exit: rotate.verdict!(report, { user: 'app', ...flags }), out: c.stdout() + c.stderr() };
  };

  it('declined at the prompt: nothing changes', async () => {
    const { report, exit } = await run({}, [false]);
    expect(exit).toBe(2);
    expect(report.declined).toBe(true);
    await expect(stat(path.join(cwd, '.gridctl', 'acl-rotate-app.json'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(path.join(cwd, 'secrets', 'app.env'), 'utf8')).toContain(OLD);
  });

  it('phase 1 writes secrets/app.env (0600) and users.acl with both hashes, and lists the old connection; finish refuses while it stays, --force removes the old password and the watch reports a client still sending it', async () => {
    await oldClient.ping();
    await sleep(1100);
    const phase1 = await run({});
    expect(phase1.exit).toBe(0);
    const env = await readFile(path.join(cwd, 'secrets', 'app.env'), 'utf8');
    const NEW = /^REDIS_PASSWORD=(\w+)$/m.exec(env)![1]!;
    expect(env).toMatch(/^# by init\nREDIS_USERNAME=app\nREDIS_PASSWORD=[0-9a-f]{64}\n$/);
    expect((await stat(path.join(cwd, 'secrets', 'app.env'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(cwd, 'users.acl'), 'utf8')).toContain(`user app on #${sha(OLD)} #${sha(NEW)} ~*`);
    expect((await stat(path.join(cwd, 'users.acl'))).mode & 0o777).toBe(0o640);
    expect(phase1.report.files.map((f) => [f.what, f.change])).toEqual([['state', 'written'], ['secret', 'written'], ['pending secret', 'removed'], ['users.acl', 'written']]);
    expect(phase1.report.oldConnections).toHaveLength(1);
    expect(phase1.out).not.toContain(NEW);
    expect(phase1.out).not.toContain(OLD);

    await sleep(1100);
    const refused = await run({ finish: true });
    expect(refused.exit).toBe(1);
    expect(refused.report.refused).toMatch(/1 connection\(s\) of "app" opened before/);
    expect(refused.out).toContain('refused:');
    const admin = await t.node(t.state.nodes[0]!);
    expect(String(((await admin.call('ACL', 'GETUSER', 'app')) as unknown[])[3])).toContain(sha(OLD));

    // While --force runs its watch, a client that was not moved tries the old password.
    const late = (async () => {
      await sleep(400);
      await connectNode({ ...t.spec, auth: { username: 'app', password: OLD } }, t.state.nodes[0]!).then((c) => c.disconnect(), () => undefined);
    })();
    const forced = await run({ finish: true, force: true, watch: '2s' });
    await late;
    expect(forced.exit).toBe(0);
    expect(forced.report.phase).toBe('finished');
    expect(forced.report.nodes[0]).toMatchObject({ change: 'remove-old', acceptsOld: false, acceptsNew: true, persisted: 'config rewrite' });
    expect(forced.report.authFailures).toEqual([expect.objectContaining({ user: 'app', count: 1, clientAddr: expect.stringMatching(/^127\.0\.0\.1:\d+$/) })]);
    expect(forced.out).toMatch(/failed authentication as "app" on 127\.0\.0\.1:\d+: 1 time\(s\), last from 127\.0\.0\.1:\d+/);
    expect(forced.out).not.toContain(OLD);
    expect(await readFile(path.join(cwd, 'users.acl'), 'utf8')).toContain(`user app on #${sha(NEW)} ~*`);
    // The connection opened before stays usable: Redis checks passwords at AUTH only.
    expect(await oldClient.ping()).toBe('PONG');

    const back = await run({ rollback: true });
    expect(back.exit).toBe(0);
    expect(back.report.phase).toBe('added');
    expect(back.report.nodes[0]).toMatchObject({ change: 'restore-old', acceptsOld: true, acceptsNew: true });
    const accepted = ((await admin.call('ACL', 'GETUSER', 'app')) as unknown[])[3] as string[];
    expect(accepted.sort()).toEqual([sha(OLD), sha(NEW)].sort());
    admin.disconnect();
    const state = JSON.parse(await readFile(path.join(cwd, '.gridctl', 'acl-rotate-app.json'), 'utf8'));
    expect(state).toMatchObject({ user: 'app', phase: 'added', newHash: sha(NEW), oldHashes: [sha(OLD)] });
    expect(JSON.stringify(state)).not.toContain(NEW);
  }, 60_000);
});
