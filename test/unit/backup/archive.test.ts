import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, writeFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveWriter } from '../../../src/core/backup/archive-writer.js';
import { verifyArchive } from '../../../src/core/backup/verify.js';
import { encodeRecord } from '../../../src/core/backup/record-codec.js';
import { crc64 } from '../../../src/core/rdb/crc64.js';
import { newFrameCipher } from '../../../src/core/backup/archive-crypto.js';
import { GridctlError } from '../../../src/core/errors.js';
import { ARCHIVE_FORMAT_VERSION } from '../../../src/core/backup/archive-format.js';

// A DUMP payload's layout: body + RDB version (LE) + the CRC-64 of both (LE), which verify checks.
function payload(body: string, rdb = 10): Buffer {
  const b = Buffer.alloc(body.length + 10);
  b.write(body, 0, 'latin1');
  b.writeUInt16LE(rdb, body.length);
  const crc = crc64(b, 0, body.length + 2);
  b.writeUInt32LE(crc.lo, body.length + 2);
  b.writeUInt32LE(crc.hi, body.length + 6);
  return b;
}

const header = { gridctlVersion: 'test', mode: 'logical' as const, topology: 'standalone' as const, serverVersion: '7.0.15', masters: [], startedAt: new Date().toISOString() };

async function writeArchive(file: string, n: number, opts: { key?: Buffer; rdb?: number } = {}) {
  const w = await ArchiveWriter.create(file, header, opts.key ? newFrameCipher(opts.key) : undefined);
  // Several frames: ~1.2 MB of records per 300 keys of 4 KB.
  for (let i = 0; i < n; i += 100) {
    const parts: Buffer[] = [];
    for (let j = i; j < Math.min(n, i + 100); j++) parts.push(encodeRecord(j % 2, Buffer.from([0xff, 0x00, j & 0xff, 0x0a]), j % 3 === 0 ? -1 : Date.now() + 60_000, payload('v'.repeat(4000) + j, opts.rdb)));
    await w.append(Buffer.concat(parts), parts.length);
  }
  return w.finish({ string: Math.ceil(n / 2), list: Math.floor(n / 2) });
}

async function expectIntegrity(p: Promise<unknown>, re: RegExp) {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GridctlError);
  expect((err as GridctlError).code).toBe('INTEGRITY');
  expect((err as GridctlError).exitCode).toBe(6);
  expect((err as GridctlError).message).toMatch(re);
}

describe('backup archive format', () => {
  let dir: string;
  let file: string;
  let good: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-archive-'));
    file = path.join(dir, 'a.gbk');
    await writeArchive(file, 1000);
    good = await readFile(file);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips records, counts and checksums, leaving no temp file', async () => {
    const seen: string[] = [];
    const r = await verifyArchive(file, { onRecord: (rec) => seen.push(rec.key.toString('hex')) });
    expect(r.records).toBe(1000);
    expect(r.footer.frames).toBeGreaterThan(2);
    expect(r.countsByType).toEqual({ string: 500, list: 500 });
    expect(r.maxRdbVersion).toBe(10);
    expect(seen[5]).toBe('ff00050a');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a flipped byte inside a frame names the frame and its records', async () => {
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 0x01;
    await writeFile(path.join(dir, 'flip.gbk'), bad);
    await expectIntegrity(verifyArchive(path.join(dir, 'flip.gbk')), /frame \d+ at byte \d+ \(records #\d+\.\.#\d+\): CRC-32 mismatch/);
  });

  it('a flipped byte in the header JSON is caught by the SHA-256', async () => {
    const bad = Buffer.from(good);
    const i = bad.indexOf('7.0.15');
    bad[i] = '8'.charCodeAt(0);
    await writeFile(path.join(dir, 'hdr.gbk'), bad);
    await expectIntegrity(verifyArchive(path.join(dir, 'hdr.gbk')), /SHA-256 checksum mismatch/);
  });

  it('a truncated file names the offset', async () => {
    await writeFile(path.join(dir, 'trunc.gbk'), good.subarray(0, good.length - 100));
    await expectIntegrity(verifyArchive(path.join(dir, 'trunc.gbk')), /truncated at byte \d+/);
    await writeFile(path.join(dir, 'trunc2.gbk'), good.subarray(0, 5000));
    await expectIntegrity(verifyArchive(path.join(dir, 'trunc2.gbk')), /truncated/);
  });

  it('a wrong magic and a future format version are refused', async () => {
    const bad = Buffer.from(good);
    bad.write('NOTABACK', 0, 'latin1');
    await writeFile(path.join(dir, 'magic.gbk'), bad);
    await expectIntegrity(verifyArchive(path.join(dir, 'magic.gbk')), /wrong magic at byte 0/);
    const future = Buffer.from(good);
    future.writeUInt16BE(ARCHIVE_FORMAT_VERSION + 1, 8);
    await writeFile(path.join(dir, 'future.gbk'), future);
    await expectIntegrity(verifyArchive(path.join(dir, 'future.gbk')), new RegExp(`format version ${ARCHIVE_FORMAT_VERSION + 1} is not supported`));
    const zero = Buffer.from(good);
    zero.writeUInt16BE(0, 8);
    await writeFile(path.join(dir, 'zero.gbk'), zero);
    await expectIntegrity(verifyArchive(path.join(dir, 'zero.gbk')), /format version 0 is not supported/);
  });

  it('reads format 1 archives (deflate-raw frames) written before format 2 (Brotli)', async () => {
    const r = await verifyArchive(fileURLToPath(new URL('../../fixtures/backup/format1.gbk', import.meta.url)));
    expect(r.header.format).toBe(1);
    expect(r.header.compression).toEqual({ algorithm: 'deflate-raw', level: 1 });
    expect(r.records).toBe(8);
  });

  it('encrypts with AES-256-GCM: readable with the key, refused without it or with another', async () => {
    const key = Buffer.from('k'.repeat(48));
    const enc = path.join(dir, 'enc.gbk');
    await writeArchive(enc, 300, { key });
    expect((await readFile(enc)).includes(Buffer.from('vvvvvvvvvvvvvvvv'))).toBe(false);
    expect((await verifyArchive(enc, { keyMaterial: key })).records).toBe(300);
    await expect(verifyArchive(enc)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(verifyArchive(enc, { keyMaterial: Buffer.from('x'.repeat(48)) })).rejects.toMatchObject({ code: 'AUTH_FAILED', exitCode: 4 });
  });

  it('abort() removes the temporary file and never creates the final name', async () => {
    const f = path.join(dir, 'aborted.gbk');
    const w = await ArchiveWriter.create(f, header);
    await w.append(encodeRecord(0, Buffer.from('k'), -1, payload('x')), 1);
    await w.abort();
    const names = await readdir(dir);
    expect(names.some((n) => n.includes('aborted'))).toBe(false);
  });
});

describe('CRC-64 (the one DUMP payloads and RDB files carry)', () => {
  it('has the check value of CRC-64/Jones as Redis computes it', () => {
    expect(crc64(Buffer.from('123456789')).hex()).toBe('e9c6d914c4b8d9ca');
  });
});

describe('encrypted archives of format 2 (header not bound) are still read; a format 3 one cannot be relabelled as 2', () => {
  let d: string;
  const key = Buffer.from('q'.repeat(48));
  beforeAll(async () => {
    d = await mkdtemp(path.join(os.tmpdir(), 'gridctl-fmt2-'));
  });
  afterAll(async () => {
    await rm(d, { recursive: true, force: true });
  });

  /** An encrypted archive; `unbound` writes it the way format 2 did (no header in the AAD). */
  async function encrypted(file: string, unbound: boolean): Promise<void> {
    const cipher = newFrameCipher(key);
    if (unbound) cipher.bindHeader = () => undefined;
    const w = await ArchiveWriter.create(file, { gridctlVersion: 't', mode: 'logical', topology: 'standalone', serverVersion: '7.0.15', masters: [], startedAt: 'now' }, cipher);
    await w.append(encodeRecord(0, Buffer.from('k'), -1, payload('value')), 1);
    await w.finish({ string: 1 });
  }
  /** Preamble and header say format 2, the trailer recomputed. */
  async function relabel(file: string): Promise<void> {
    const b = await readFile(file);
    b.writeUInt16BE(2, 8);
    const at = b.indexOf('"format":3');
    b.write('"format":2', at, 'latin1');
    const shaAt = b.length - 40;
    (await import('node:crypto')).createHash('sha256').update(b.subarray(0, shaAt)).digest().copy(b, shaAt);
    await writeFile(file, b);
  }

  it('reads a format 2 encrypted archive', async () => {
    const f = path.join(d, 'v2.gbk');
    await encrypted(f, true);
    await relabel(f);
    const r = await verifyArchive(f, { keyMaterial: key });
    expect(r).toMatchObject({ records: 1, header: { format: 2 } });
  });
  it('refuses a format 3 archive relabelled as format 2 (its tags were made with the header bound)', async () => {
    const f = path.join(d, 'v3-as-2.gbk');
    await encrypted(f, false);
    await relabel(f);
    await expect(verifyArchive(f, { keyMaterial: key })).rejects.toMatchObject({ exitCode: 6, message: expect.stringMatching(/failed authentication/) });
  });
});
