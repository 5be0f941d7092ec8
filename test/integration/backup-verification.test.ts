import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile, appendFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { startDeployments, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { runRdbBackup } from '../../src/core/backup/rdb-backup.js';
import { runRestore, type RestoreOptions } from '../../src/core/restore/restore.js';
import { verifyBackupFile } from '../../src/core/backup/verify-backup.js';
import { ArchiveWriter } from '../../src/core/backup/archive-writer.js';
import { newFrameCipher } from '../../src/core/backup/archive-crypto.js';
import { encodeRecord } from '../../src/core/backup/record-codec.js';
import { crc64 } from '../../src/core/rdb/crc64.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';

/** Every case here must leave the target untouched: nothing is written before verification passed. */
describe('one verification path for backup verify and restore (real servers)', () => {
  let src: TestDeployment;
  let dst: TestDeployment;
  let dir: string;
  let archive: string;
  let manifest: string;
  let payload: Buffer;

  const restore = async (file: string, extra: Partial<RestoreOptions> = {}) => {
    const dep = await Deployment.open(dst.spec);
    try {
      return await runRestore(dep, { file, onConflict: 'replace', dryRun: false, confirmNonEmpty: async () => true, ...extra });
    } finally {
      await dep.close();
    }
  };
  const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code: string; exitCode: number; message: string; hint?: string });
  const dstKeys = async () => {
    const c = await dst.client();
    const n = await c.dbsize();
    c.disconnect();
    return n;
  };
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  /** A one-record archive of `key` with this DUMP payload (file checksums all valid). */
  async function archiveOf(file: string, key: string, p: Buffer, material?: Buffer): Promise<void> {
    const w = await ArchiveWriter.create(file, { gridctlVersion: 't', mode: 'logical', topology: 'standalone', serverVersion: '7.0.15', masters: [], startedAt: new Date().toISOString() }, material ? newFrameCipher(material) : undefined);
    await w.append(encodeRecord(0, Buffer.from(key), -1, p), 1);
    await w.finish({ string: 1 });
  }

  beforeAll(async () => {
    [src, dst] = await startDeployments({ topology: 'standalone' }, { topology: 'standalone' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-verif-'));
    const c = await src.client();
    for (let i = 0; i < 300; i++) await c.set(`user:session:${i}`, `value-${i}`);
    payload = Buffer.from((await c.dumpBuffer('user:session:1'))!);
    await c.select(1);
    await c.set('elsewhere', 'in db 1');
    await c.select(0);
    c.disconnect();
    const dep = await Deployment.open(src.spec);
    try {
      const r = await runLogicalBackup(dep.spec, async () => dep, { dir: path.join(dir, 'logical'), mode: 'logical', namespaces: DEFAULT_NAMESPACES });
      archive = r.file;
      manifest = r.manifest;
    } finally {
      await dep.close();
    }
  });
  afterAll(async () => {
    await Promise.all([src?.stop(), dst?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('issue 24 #2: a different valid archive under the manifest\'s file name is refused by verify and restore (SHA-256), nothing written', async () => {
    const other = path.join(dir, 'other.gbk');
    await archiveOf(other, 'intruder', payload);
    const swapped = path.join(dir, 'swapped');
    await rm(swapped, { recursive: true, force: true });
    await mkdir(swapped);
    const m = JSON.parse(await readFile(manifest, 'utf8'));
    // The size agrees (a forger can make it so), so only the SHA-256 can tell the archives apart.
    m.files[0].bytes = (await readFile(other)).length;
    const mf = path.join(swapped, path.basename(manifest));
    await writeFile(mf, JSON.stringify(m));
    await copyFile(other, path.join(swapped, m.files[0].name));
    for (const given of [mf, path.join(swapped, m.files[0].name)]) {
      expect(await failure(verifyBackupFile(given))).toMatchObject({ code: 'INTEGRITY', exitCode: 6, message: expect.stringMatching(/SHA-256 differs from its manifest/) });
      expect(await failure(restore(given))).toMatchObject({ exitCode: 6 });
    }
    expect(await dstKeys()).toBe(0);
  });

  it('issue 24 #2: a manifest entry naming a file outside its folder is refused, not followed', async () => {
    const nested = path.join(dir, 'a', 'b');
    await mkdir(nested, { recursive: true });
    await copyFile(archive, path.join(dir, 'a', 'outside.gbk'));
    const m = JSON.parse(await readFile(manifest, 'utf8'));
    m.files[0].name = '../outside.gbk';
    const mf = path.join(nested, path.basename(manifest));
    await writeFile(mf, JSON.stringify(m));
    expect(await failure(verifyBackupFile(mf))).toMatchObject({ exitCode: 6, message: expect.stringMatching(/lists "\.\.\/outside\.gbk", which is not a file in the backup's folder/) });
    expect(await failure(restore(mf))).toMatchObject({ exitCode: 6 });
    expect(await dstKeys()).toBe(0);
  });

  it('issue 24 #3 / issue 16: a plain RDB verifies and says so; one with bytes after its checksum is refused by verify and restore', async () => {
    const dep = await Deployment.open(src.spec);
    let rdb: string;
    try {
      const r = await runRdbBackup(dep.spec, async () => dep, { dir: path.join(dir, 'rdb') });
      rdb = r.file;
    } finally {
      await dep.close();
    }
    const plain = path.join(dir, 'plain.rdb');
    await copyFile(rdb, plain);
    const v = await verifyBackupFile(plain);
    expect(v).toMatchObject({ kind: 'rdb-file', files: [{ name: 'plain.rdb', crc: { ok: true }, check: { tool: 'redis-check-rdb', ok: true } }] });
    expect(await verifyBackupFile(rdb)).toMatchObject({ kind: 'rdb-backup' });
    const appended = path.join(dir, 'appended.rdb');
    await copyFile(rdb, appended);
    await appendFile(appended, 'trailing garbage');
    expect(await failure(verifyBackupFile(appended))).toMatchObject({ exitCode: 6, message: expect.stringMatching(/16 byte\(s\) after the RDB's checksum/) });
    expect(await failure(restore(appended))).toMatchObject({ exitCode: 6 });
    expect(await dstKeys()).toBe(0);
  });

  it('issue 24 #8: one flipped byte inside a DUMP payload (every file checksum valid) is exit 6 before the first write; so is a flipped payload version', async () => {
    const flippedValue = Buffer.from(payload);
    flippedValue[3]! ^= 0x20;
    const flippedVersion = Buffer.from(payload);
    flippedVersion.writeUInt16LE(12, flippedVersion.length - 10);
    for (const [name, p] of [['value', flippedValue], ['version', flippedVersion]] as const) {
      const file = path.join(dir, `flipped-${name}.gbk`);
      await archiveOf(file, 'k', p);
      expect(await failure(verifyBackupFile(file))).toMatchObject({ code: 'INTEGRITY', exitCode: 6, message: expect.stringMatching(/record #0 .*DUMP payload's CRC-64 does not match/) });
      expect(await failure(restore(file))).toMatchObject({ exitCode: 6 });
    }
    expect(await dstKeys()).toBe(0);
  });

  it('issue 24 #8: an encrypted archive whose header was changed (checksums recomputed) fails authentication', async () => {
    const material = Buffer.from('k'.repeat(40));
    const file = path.join(dir, 'enc.gbk');
    await archiveOf(file, 'k', payload, material);
    const b = await readFile(file);
    const text = b.toString('latin1');
    // A same-length edit of the header JSON, so every offset after it holds.
    const v = text.indexOf('"serverVersion":"7.0.15"');
    expect(v).toBeGreaterThan(0);
    b.write('"serverVersion":"9.9.99"', v, 'latin1');
    // Recompute the trailing SHA-256 over every byte before it, as a forger would.
    const shaAt = b.length - 8 - 32;
    createHash('sha256').update(b.subarray(0, shaAt)).digest().copy(b, shaAt);
    const forged = path.join(dir, 'enc-forged.gbk');
    await writeFile(forged, b);
    expect(sha(b)).not.toBe(sha(await readFile(file)));
    await verifyBackupFile(file, { keyMaterial: material }); // the original verifies
    expect(await failure(verifyBackupFile(forged, { keyMaterial: material }))).toMatchObject({ exitCode: 6, message: expect.stringMatching(/failed authentication/) });
  });

  it('issue 16 #3: keys in other databases fail the restore before any write unless skipOtherDbs; counted either way', async () => {
    const rdbDir = path.join(dir, 'rdb');
    const mf = path.join(rdbDir, (await readdir(rdbDir)).find((f) => f.endsWith('.manifest.json'))!);
    expect(await failure(restore(mf))).toMatchObject({ code: 'OPERATION_FAILED', exitCode: 1, message: expect.stringMatching(/^1 key\(s\) of the backup are in databases other than 0.*nothing was written/) });
    expect(await dstKeys()).toBe(0);
    const r = await restore(mf, { skipOtherDbs: true });
    expect(r).toMatchObject({ ok: true, restored: 300, skippedOtherDbs: 1 });
    const c = await dst.client();
    await c.flushall();
    c.disconnect();
  });

  it('issue 16 #3: an RDB the server loads (an empty key it skips) is not refused on redis-check-rdb\'s word alone: the checker is named, --no-check-rdb offered and honoured', async () => {
    const body = Buffer.concat([
      Buffer.from('REDIS0010', 'latin1'), Buffer.from([0xfe, 0x00, 0xfb, 0x02, 0x00]),
      Buffer.from([0x00, 0x01]), Buffer.from('a'), Buffer.from([0x01]), Buffer.from('b'), // a = "b"
      Buffer.from([0x02, 0x05]), Buffer.from('empty'), Buffer.from([0x00]), // an empty set, which Redis 7.0 skips on load
      Buffer.from([0xff]),
    ]);
    const c = crc64(body);
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(c.lo, 0);
    tail.writeUInt32LE(c.hi, 4);
    const file = path.join(dir, 'empty-key.rdb');
    await writeFile(file, Buffer.concat([body, tail]));
    const refused = await failure(verifyBackupFile(file));
    expect(refused).toMatchObject({ exitCode: 6, message: expect.stringMatching(/does not check out \(redis-check-rdb \d+\.\d+\.\d+\)/), hint: expect.stringMatching(/CRC-64 is intact.*--no-check-rdb/) });
    expect(await failure(restore(file))).toMatchObject({ exitCode: 6 });
    expect(await verifyBackupFile(file, { checkRdb: false })).toMatchObject({ kind: 'rdb-file', files: [{ check: { tool: 'crc-64', ok: true } }] });
    const r = await restore(file, { checkRdb: false });
    expect(r).toMatchObject({ ok: true, restored: 1 });
    const d = await dst.client();
    expect(await d.get('a')).toBe('b');
    await d.flushall();
    d.disconnect();
  });
});
