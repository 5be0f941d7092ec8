import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { connectNode } from '../../src/core/redis/connect.js';

const OLD = 'old-app-password-0123456789abcdef0123456789';

describe('gridctl acl rotate / security report (the built binary)', () => {
  let t: TestDeployment;
  let cwd: string;
  beforeAll(async () => {
    t = await startDeployment({ topology: 'standalone', acl: true });
    cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-e2e-secops-'));
    const admin = await t.node(t.state.nodes[0]!);
    await admin.call('ACL', 'SETUSER', 'app', 'on', `>${OLD}`, '~*', '-@all', '+@read', '+ping', '+client|setname');
    admin.disconnect();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });
  const gridctl = (args: string[]) => runCli([...args, ...t.cliArgs], { cwd });

  it('--help lists both commands with examples', async () => {
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/acl\s+ACL users across every node/);
    expect(top.stdout).toMatch(/security\s+who tried what/);
    const help = await runCli(['acl', 'rotate', '--help']);
    expect(help.stdout).toContain('$ gridctl acl rotate app --finish --yes');
    expect(help.stdout).toContain('+acl|setuser');
  });

  it('acl rotate: a dry run exits 0 and changes nothing; without --yes off a terminal exit 3; --finish without a rotation exit 3', async () => {
    const dry = await gridctl(['acl', 'rotate', 'app', '--secret-file', 'app.env', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/^127\.0\.0\.1:\d+\tmaster\twould: new password added\tyes\tno\t-$/m);
    expect(dry.stderr).toContain('DRY RUN (nothing changed); no rotation is open');
    const noYes = await gridctl(['acl', 'rotate', 'app', '--secret-file', 'app.env']);
    expect(noYes.exitCode).toBe(3);
    expect(noYes.stderr).toContain('--yes required to change the password of ACL user "app" on a live deployment');
    const finish = await gridctl(['acl', 'rotate', 'app', '--finish', '--yes']);
    expect(finish.exitCode).toBe(3);
    expect(finish.stderr).toMatch(/no rotation of "app" is open/);
    const missing = await gridctl(['acl', 'rotate', 'nobody', '--dry-run', '--secret-file', 'x.env']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('ACL user "nobody" does not exist on any data node');
  });

  it('acl rotate --yes, then --finish --json: exit 0, and the report never holds a password', async () => {
    const phase1 = await gridctl(['acl', 'rotate', 'app', '--secret-file', 'app.env', '--yes']);
    expect(phase1.exitCode).toBe(0);
    const finish = await gridctl(['acl', 'rotate', 'app', '--finish', '--yes', '--watch', '0', '--json']);
    expect(finish.exitCode).toBe(0);
    const report = JSON.parse(finish.stdout);
    expect(report).toMatchObject({ user: 'app', action: 'finish', phase: 'finished', complete: true });
    expect(finish.stdout + finish.stderr + phase1.stdout + phase1.stderr).not.toMatch(/[0-9a-f]{64}/);
  });

  it('security report: a wrong password shows up with its client; exit 1', async () => {
    await connectNode({ ...t.spec, auth: { username: 'app', password: OLD } }, t.state.nodes[0]!).then((c) => c.disconnect(), () => undefined);
    const r = await gridctl(['security', 'report', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.denied).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'auth', user: 'app', client: '127.0.0.1', count: 1 })]));
    expect(r.stdout + r.stderr).not.toContain(OLD);
  });
});
