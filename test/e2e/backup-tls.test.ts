import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';

describe('backup over mutual TLS with ACL (built binary)', () => {
  let tls: TestDeployment;
  let dir: string;
  beforeAll(async () => {
    tls = await startDeployment({ topology: 'standalone', tls: true, acl: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bk-tls-'));
    const c = await tls.client();
    for (let i = 0; i < 500; i++) await c.hset(`order:${i}`, 'data', `{"id":"${i}"}`);
    c.disconnect();
  });
  afterAll(async () => {
    await tls?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('logical and --mode rdb backups work over TLS, restore back round-trips, and no password is printed', async () => {
    const logical = await runCli(['backup', '--dir', dir, '--json', ...tls.cliArgs]);
    expect(logical.exitCode, logical.stderr).toBe(0);
    expect(JSON.parse(logical.stdout)).toMatchObject({ records: 500, countsByType: { hash: 500 } });
    const rdb = await runCli(['backup', '--mode', 'rdb', '--dir', path.join(dir, 'rdb'), '--json', ...tls.cliArgs]);
    expect(rdb.exitCode, rdb.stderr).toBe(0);
    const rep = JSON.parse(rdb.stdout);
    const v = await runCli(['backup', 'verify', rep.manifest, '--json']);
    expect(v.exitCode).toBe(0);
    const restore = await runCli(['restore', JSON.parse(logical.stdout).file, '--yes', '--on-conflict', 'replace', '--json', ...tls.cliArgs]);
    expect(restore.exitCode, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ restored: 500, ok: true });
    for (const out of [logical, rdb, restore]) expect(out.stdout + out.stderr).not.toContain(tls.password!);
  });
});
