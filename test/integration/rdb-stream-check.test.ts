import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execaSync } from 'execa';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStreamCheck } from '../../src/core/backup/rdb-check.js';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';

const hasChecker = execaSync('sh', ['-c', 'command -v redis-check-rdb && command -v mkfifo'], { reject: false }).exitCode === 0;
const leftovers = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith('gridctl-rdb-check-'));

describe.skipIf(!hasChecker)('redis-check-rdb fed while the RDB arrives (startStreamCheck)', () => {
  let dep: TestDeployment;
  let rdb: Buffer;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridctl-stream-check-test-'));
  beforeAll(async () => {
    dep = await startDeployment({ topology: 'standalone' });
    const c = await dep.client();
    for (let i = 0; i < 2000; i++) await c.set(`k:${i}`, `v${i}`.repeat(20));
    await c.quit();
    const file = path.join(dir, 'src.rdb');
    execaSync('redis-cli', ['-p', String(dep.state.nodes[0]!.port), '--rdb', file]);
    rdb = readFileSync(file);
  }, 60_000);
  afterAll(async () => {
    await dep?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes an intact RDB fed in batches of small chunks, and leaves no pipe behind', async () => {
    const before = leftovers().length;
    const check = (await startStreamCheck())!;
    for (let o = 0; o < rdb.length; o += 8 * 4096) {
      const batch: Buffer[] = [];
      for (let p = o; p < Math.min(o + 8 * 4096, rdb.length); p += 4096) batch.push(rdb.subarray(p, p + 4096));
      await check.write(batch);
    }
    expect(await check.end()).toEqual({ tool: 'redis-check-rdb', ok: true, message: 'RDB looks OK' });
    expect(leftovers().length).toBe(before);
  });

  it('names redis-check-rdb complaint for a cut-short RDB and for a flipped byte', async () => {
    const cut = (await startStreamCheck())!;
    await cut.write([rdb.subarray(0, rdb.length - 20)]);
    const r = await cut.end();
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/Unexpected EOF reading RDB file/);

    const flipped = Buffer.from(rdb);
    flipped[flipped.length - 3] = flipped[flipped.length - 3]! ^ 0xff; // inside the CRC-64
    const crc = (await startStreamCheck())!;
    await crc.write([flipped]);
    const r2 = await crc.end();
    expect(r2.ok).toBe(false);
    expect(r2.message).toMatch(/CRC/);
  });

  it('a checker that stops reading early (garbage) does not hang the writer', async () => {
    const check = (await startStreamCheck())!;
    const junk = Buffer.alloc(4 << 20, 0x41);
    await check.write([junk]);
    const r = await check.end();
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/Wrong signature/);
  });
});
