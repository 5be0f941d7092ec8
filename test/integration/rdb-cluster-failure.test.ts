import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runRdbBackup } from '../../src/core/backup/rdb-backup.js';

describe('a Cluster RDB backup whose master dies mid-transfer (real Cluster)', () => {
  let cluster: TestDeployment;
  let tmp: string;
  let out: string;
  const tmpdirBefore = process.env.TMPDIR;

  beforeAll(async () => {
    cluster = await startDeployment({ topology: 'cluster' });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gridctl-cl-tmp-'));
    out = await mkdtemp(path.join(os.tmpdir(), 'gridctl-cl-out-'));
  }, 60_000);
  afterAll(async () => {
    process.env.TMPDIR = tmpdirBefore;
    if (tmpdirBefore === undefined) delete process.env.TMPDIR;
    await cluster?.stop();
    await rm(tmp, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it('issue 24 #5 / #11: exit 5, and no master leaves a temp file or a redis-check-rdb pipe folder behind', async () => {
    const c = await cluster.client();
    for (let i = 0; i < 3000; i++) await c.set(`user:session:${i}`, `v${i}`);
    c.disconnect();
    const masters = cluster.state.nodes.filter((n) => n.role === 'master');
    for (const m of masters) {
      const n = await cluster.node(m);
      // ~1 ms per key: each master's RDB takes about a second to write, so one dies mid-transfer.
      await n.config('SET', 'rdb-key-save-delay', '1000');
      n.disconnect();
    }
    // Where redis-check-rdb's pipe folders are made (os.tmpdir()), so this test sees only its own.
    process.env.TMPDIR = tmp;
    const dep = await Deployment.open(cluster.spec);
    try {
      const backup = runRdbBackup(dep.spec, async () => dep, { dir: out }).then(() => undefined, (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 500));
      process.kill(masters[0]!.pid, 'SIGKILL');
      const err = await backup;
      expect(err).toMatchObject({ exitCode: 5 });
    } finally {
      await dep.close();
      process.env.TMPDIR = tmpdirBefore;
    }
    expect((await readdir(out)).filter((n) => !n.startsWith('.gridctl-backup.lock'))).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  }, 60_000);
});
