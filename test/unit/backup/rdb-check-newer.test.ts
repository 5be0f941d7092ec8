import { execaSync } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRdbFile, startStreamCheck } from '../../../src/core/backup/rdb-check.js';

/**
 * A check-rdb older than the RDB ("Can't handle RDB format version 11" from Debian's 7.0) is no
 * verdict on the file: the nightly RDB backup of a 7.2+ server must not be called corrupt for it.
 * The files are the smallest RDBs there are: the header, the EOF opcode and a zero (disabled) CRC-64.
 */
const onlyChecker = execaSync('sh', ['-c', 'command -v redis-check-rdb || command -v valkey-check-rdb'], { reject: false });
const checkerVersion = onlyChecker.exitCode === 0 ? execaSync(onlyChecker.stdout.trim(), ['--version'], { reject: false }).stdout : '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'gridctl-rdb-newer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rdb(name: string, magic: string, tail: Buffer = Buffer.concat([Buffer.from([0xff]), Buffer.alloc(8)])): string {
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.concat([Buffer.from(magic, 'latin1'), tail]));
  return file;
}

describe(`check-rdb older than the file (${checkerVersion.trim() || 'no check-rdb on PATH'})`, () => {
  for (const magic of ['REDIS0013', 'VALKEY080']) {
    it(`${magic}: a complete file passes the structural check, naming why`, async () => {
      const r = await checkRdbFile(rdb(`${magic}.rdb`, magic));
      expect(r).toMatchObject({ tool: 'structure', ok: true });
      expect(r.message).toMatch(new RegExp(`^${magic} header and EOF opcode present`));
      if (checkerVersion) expect(r.message).toMatch(/(cannot read RDB version 13|does not know this header): the checker on PATH is older than the file/);
    });
  }

  it('a newer file cut before its EOF opcode is still refused', async () => {
    const r = await checkRdbFile(rdb('cut.rdb', 'REDIS0013', Buffer.from([0xfa, 0x09, 0x72, 0x65, 0x64, 0x69, 0x73, 0x2d, 0x76])));
    expect(r.ok).toBe(false);
  });

  it.skipIf(!checkerVersion)('the streaming check (during a backup) falls back the same way', async () => {
    const c = await startStreamCheck();
    if (!c) return; // no mkfifo
    await c.write([Buffer.from('REDIS00'), Buffer.from('13'), Buffer.from([0xff]), Buffer.alloc(8)]);
    expect(await c.end()).toMatchObject({ tool: 'structure', ok: true, message: expect.stringMatching(/^REDIS0013 header and EOF opcode present/) });
  });
});
