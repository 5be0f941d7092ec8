import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { testContext } from '../helpers/context.js';
import diff from '../../src/commands/acl/diff.js';

const PW = 'app-password-0123456789abcdef0123456789abcdef';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('acl diff on a Cluster (TLS, ACL): a node missed by a change shows as drift', () => {
  let t: TestDeployment;
  let dir: string;
  beforeAll(async () => {
    t = await startDeployment({ topology: 'cluster', tls: true, acl: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-acl-diff-'));
    for (const n of t.state.nodes) {
      const c = await t.node(n);
      await c.call('ACL', 'SETUSER', 'app', 'on', `>${PW}`, '~order:*', '-@all', '+@read');
      c.disconnect();
    }
  }, 120_000);
  afterAll(async () => t?.stop());

  const run = async (aclFile?: string) => {
    const c = testContext({ global: { runDir: t.cliArgs[1]! } });
    const opts = aclFile ? { aclFile } : {};
    const r = await diff.run(opts, c.ctx);
    diff.render(r, c.ctx.out, opts);
    return { r, exit: diff.verdict!(r, opts), out: c.stdout() + c.stderr() };
  };

  it('no drift: every user alike on the six nodes, exit 0', async () => {
    const { r, exit } = await run();
    expect(exit).toBe(0);
    expect(r.nodes).toHaveLength(6);
    expect(r.users.map((u) => [u.user, u.status, u.variants.length, u.variants[0]!.nodes.length])).toEqual([
      ['admin', 'same', 1, 6],
      ['app', 'same', 1, 6],
      ['default', 'same', 1, 6],
    ]);
  });

  it('a replica with an extra key pattern and a master with an extra password: drift with the lines that differ, hashes as labels; users.acl compared', async () => {
    const replica = t.state.nodes.find((n) => n.role === 'replica')!;
    const master = t.state.nodes.find((n) => n.role === 'master')!;
    const r1 = await t.node(replica);
    await r1.call('ACL', 'SETUSER', 'app', '~extra:*');
    r1.disconnect();
    const m1 = await t.node(master);
    await m1.call('ACL', 'SETUSER', 'app', '>another-password-0123456789abcdef0123');
    m1.disconnect();
    const file = path.join(dir, 'users.acl');
    await writeFile(file, `user default off resetpass -@all\nuser app on #${sha(PW)} ~order:* -@all +@read\nuser ghost on #${sha('x')} -@all\n`);
    const { r, exit, out } = await run(file);
    expect(exit).toBe(1);
    const app = r.users.find((u) => u.user === 'app')!;
    expect(app.status).toBe('drift');
    expect(app.variants).toHaveLength(3);
    const on = (port: number) => app.variants.find((v) => v.nodes.includes(`127.0.0.1:${port}`))!.rules;
    expect(on(replica.port)).toMatch(/^password-\d+ on ~order:\* ~extra:\* /);
    expect(on(master.port)).toMatch(/^password-\d+ password-\d+ on ~order:\* /);
    expect(r.file!.drift).toEqual(
      expect.arrayContaining([
        { user: 'app', problem: 'passwords differ', nodes: [`127.0.0.1:${master.port}`] },
        { user: 'ghost', problem: 'not on nodes', nodes: expect.arrayContaining([`127.0.0.1:${master.port}`]) },
        { user: 'admin', problem: 'not in file', nodes: expect.any(Array) },
      ]),
    );
    expect(out).not.toMatch(/[0-9a-f]{64}/);
    expect(out).toContain(`users.acl: user "app" passwords differ (127.0.0.1:${master.port})`);
  });
});
