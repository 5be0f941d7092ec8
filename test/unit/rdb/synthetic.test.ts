import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRdb, thrown } from './rdb-test-helpers.js';
import { RdbWriter } from './rdb-writer.js';

describe('formats no local server writes', () => {
  it('VALKEY080: type 22 is HASH_2 (field, value, 8-byte expiry, -1 = none); opcode 243 is SLOT_IMPORT', async () => {
    const w = new RdbWriter('VALKEY080').aux('valkey-ver', '9.0.0').byte(254).len(0);
    w.byte(243).str('a'.repeat(40)).len(2).len(0).len(100).len(200).len(300);
    w.byte(22).str('h').len(3).str('f1').str('v1').i64(-1).str('f2').str('v2').i64(1_900_000_000_000).str('f3').str('v3').i64(1_900_000_000_001);
    const { facts, keys } = await parseRdb(w.end());
    expect(facts.header).toMatchObject({ engine: 'valkey', version: 80 });
    expect(facts.slotImports).toBe(1);
    expect(keys.get('0:h')).toMatchObject({ type: 'hash', encoding: 'hashtable', elements: 3, fieldsWithTtl: 2 });
  });

  it('REDIS0013: KEY_META (243) before a key is passed over and counted', async () => {
    const w = new RdbWriter('REDIS0013').aux('redis-ver', '8.6.0');
    // KEY_META: one class; a 4-byte class spec, then module items (UINT 7, STRING "x") up to EOF.
    w.byte(243).len(1).raw([0x41, 0x42, 0x43, 0x44]).len(2).len(7).len(5).str('x').len(0);
    w.byte(0).str('k').str('v');
    const { facts, keys } = await parseRdb(w.end());
    expect(facts.keysWithMetadata).toBe(1);
    expect(keys.get('0:k')).toMatchObject({ type: 'string', encoding: 'embstr', length: 1 });
  });

  it('module 2 values and module aux data are passed over with a note, as type other', async () => {
    const id = (BigInt(0x123456789) << 10n) | 3n;
    const idBytes = Buffer.alloc(9);
    idBytes[0] = 0x81;
    idBytes.writeBigUInt64BE(id, 1);
    const w = new RdbWriter('REDIS0011');
    w.byte(247).raw(idBytes).len(2).len(2).len(1).len(9).len(4).raw(Buffer.alloc(8)).len(0);
    w.byte(7).str('m').raw(idBytes).len(5).str('payload').len(3).raw(Buffer.alloc(4)).len(0);
    const { facts, keys } = await parseRdb(w.end());
    expect(keys.get('0:m')).toMatchObject({ type: 'other', encoding: 'module' });
    expect(facts.moduleAux).toHaveLength(1);
    expect(Object.values(facts.moduleValues)).toEqual([1]);
  });

  it('an unknown value type is an INTEGRITY error naming its offset, not a skip', async () => {
    const w = new RdbWriter('REDIS0011').aux('redis-ver', '7.2.0');
    const at = 9 + 1 + 10 + 6; // header, aux opcode, "redis-ver", "7.2.0"
    w.byte(30).str('k').str('v');
    const err = await thrown(() => parseRdb(w.end()));
    expect(err).toMatchObject({ code: 'INTEGRITY', exitCode: 6, details: { offset: at, rdbType: 30 } });
    expect(err.message).toContain(`unknown value type 30 in a REDIS RDB 11 file (at byte ${at})`);
  });

  it('a VALKEY file has no Redis 7.4 types (24 is unknown there)', async () => {
    const err = await thrown(() => parseRdb(new RdbWriter('VALKEY080').byte(24).str('k').end()));
    expect(err).toMatchObject({ code: 'INTEGRITY', details: { offset: 9 } });
  });

  it('versions: newer than known is a usage error (not "corrupt"); a bad signature is integrity', async () => {
    expect(await thrown(() => parseRdb(new RdbWriter('REDIS0016').end()))).toMatchObject({ code: 'USAGE', exitCode: 3, message: expect.stringContaining('newer than this gridctl reads') });
    expect(await thrown(() => parseRdb(new RdbWriter('VALKEY082').end()))).toMatchObject({ code: 'USAGE' });
    expect(await thrown(() => parseRdb(new RdbWriter('VALKEY011').end()))).toMatchObject({ code: 'INTEGRITY' });
    expect(await thrown(() => parseRdb(new RdbWriter('GRDCTLBK1').end()))).toMatchObject({ code: 'INTEGRITY', message: expect.stringContaining('wrong signature at byte 0') });
    for (const v of ['0009', '0012', '0013', '0015']) expect((await parseRdb(new RdbWriter(`REDIS${v}`).end())).facts.header.version).toBe(Number(v));
  });

  it('a checksum stored as 0 (rdbchecksum no) is reported, a wrong one is an error at its offset', async () => {
    const w = () => new RdbWriter('REDIS0011').byte(0).str('k').str('v');
    expect((await parseRdb(w().end(false))).facts.checksum).toBe('disabled');
    const bad = w().end();
    bad[bad.length - 1]! ^= 1;
    expect(await thrown(() => parseRdb(bad))).toMatchObject({ code: 'INTEGRITY', details: { offset: bad.length - 8 }, message: expect.stringContaining('CRC-64 mismatch') });
  });

  it('bounded memory: a 3 MB string and a 200k-member sorted set stream through a 64 KB window', async () => {
    const big = randomBytes(3 << 20);
    const w = new RdbWriter('REDIS0011').byte(0).str('big').str(big);
    w.byte(5).str('z').len(200_000);
    for (let i = 0; i < 200_000; i++) w.str(`member-${i}`).raw(Buffer.alloc(8));
    const { facts, keys } = await parseRdb(w.end(), { chunkBytes: 16 << 10, maxWindowBytes: 64 << 10 });
    expect(facts.checksum).toBe('verified');
    expect(keys.get('0:big')).toMatchObject({ encoding: 'raw', length: 3 << 20 });
    expect(keys.get('0:z')).toMatchObject({ encoding: 'skiplist', elements: 200_000 });
  });

  it('a function library record of a 7.0 release candidate is refused as unsupported', async () => {
    expect(await thrown(() => parseRdb(new RdbWriter('REDIS0010').byte(246).str('x').end()))).toMatchObject({ code: 'USAGE', details: { offset: 9 } });
  });
});
