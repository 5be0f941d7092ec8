import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, readFile, writeFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArchiveWriter } from '../../../src/core/backup/archive-writer.js';
import { readBackArchive } from '../../../src/core/backup/archive-readback.js';
import { verifyArchive } from '../../../src/core/backup/verify.js';
import { encodeRecord } from '../../../src/core/backup/record-codec.js';
import { crc64 } from '../../../src/core/rdb/crc64.js';
import { GridctlError } from '../../../src/core/errors.js';

function payload(body: string): Buffer {
  const b = Buffer.alloc(body.length + 10);
  b.write(body, 0, 'latin1');
  b.writeUInt16LE(10, body.length);
  const crc = crc64(b, 0, body.length + 2);
  b.writeUInt32LE(crc.lo, body.length + 2);
  b.writeUInt32LE(crc.hi, body.length + 6);
  return b;
}
const header = { gridctlVersion: 'test', mode: 'logical' as const, topology: 'standalone' as const, serverVersion: '7.0.15', masters: [], startedAt: new Date().toISOString() };

async function write(file: string, n: number, footerCounts: Record<string, number>) {
  const w = await ArchiveWriter.create(file, header);
  for (let i = 0; i < n; i += 100) {
    const parts: Buffer[] = [];
    for (let j = i; j < Math.min(n, i + 100); j++) parts.push(encodeRecord(0, Buffer.from(`k${j}`), -1, payload('v'.repeat(4000) + j)));
    await w.append(Buffer.concat(parts), parts.length);
  }
  return w.finish(footerCounts);
}

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at]! ^= 0x40;
  return copy;
}

async function integrityError(p: Promise<unknown>): Promise<GridctlError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GridctlError);
  expect((err as GridctlError).exitCode).toBe(6);
  return err as GridctlError;
}

describe('backup verification while writing + read-back of the final file', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const tmp = async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'gridctl-readback-'));
    dirs.push(d);
    return d;
  };

  it('every frame is checked as written; the read-back of the renamed file agrees', async () => {
    const file = path.join(await tmp(), 'a.gbk');
    const written = await write(file, 900, { string: 900 });
    expect(written.frames).toBeGreaterThan(2);
    expect(written.bytes).toBe((await readFile(file)).length);
    await expect(readBackArchive(file, written)).resolves.toBeUndefined();
    expect((await verifyArchive(file)).records).toBe(900);
  });

  it('a byte changed, cut or added on disk after the write is caught by the read-back', async () => {
    const file = path.join(await tmp(), 'b.gbk');
    const written = await write(file, 900, { string: 900 });
    const good = await readFile(file);
    for (const damaged of [flip(good, Math.floor(good.length / 2)), flip(good, 3), flip(good, good.length - 1), good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])])]) {
      await writeFile(file, damaged);
      const err = await integrityError(readBackArchive(file, written));
      expect(err.message).toMatch(/read back after the rename .* were written and checked/);
    }
  });

  it('footer counts that disagree with the checked frames abort the backup: exit 6, no file left', async () => {
    const dir = await tmp();
    const err = await integrityError(write(path.join(dir, 'c.gbk'), 300, { string: 299 }));
    expect(err.message).toMatch(/footer counts 299 string keys but the records hold 300/);
    expect(await readdir(dir)).toEqual([]);
  });
});
