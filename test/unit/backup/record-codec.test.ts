import { describe, it, expect } from 'vitest';
import { encodePage, encodeRecord, forEachRecord } from '../../../src/core/backup/record-codec.js';

describe('encodePage: archive records from the dump script flat reply', () => {
  it('builds the same bytes as encodeRecord, with the type from the payload and every expiry kept', () => {
    const binaryKey = Buffer.from([0, 255, 10, 13, 58]);
    const hashPayload = Buffer.concat([Buffer.from([16]), Buffer.alloc(20, 7)]); // RDB type 16: hash listpack
    const stringPayload = Buffer.concat([Buffer.from([0]), Buffer.from('value'), Buffer.alloc(10, 1)]);
    const farFuture = 2 ** 52 + 12345; // above 2^32: both i64 halves matter
    const reply = [2, 1234, Buffer.from('0'), Buffer.from('user:session:1'), -1, stringPayload, binaryKey, farFuture, hashPayload];
    const page = encodePage(reply, 3);
    expect(page.count).toBe(2);
    expect(Array.from(page.types)).toEqual([0, 4]);
    expect(page.keys.map((k) => k.toString('hex'))).toEqual([Buffer.from('user:session:1').toString('hex'), binaryKey.toString('hex')]);
    expect(page.records.equals(Buffer.concat([encodeRecord(0, Buffer.from('user:session:1'), -1, stringPayload), encodeRecord(4, binaryKey, farFuture, hashPayload)]))).toBe(true);
    const seen: Array<[number, string, number]> = [];
    forEachRecord(page.records, 0, (r) => seen.push([r.type, r.key.toString('hex'), r.expireAt]));
    expect(seen).toEqual([[0, Buffer.from('user:session:1').toString('hex'), -1], [4, binaryKey.toString('hex'), farFuture]]);
  });

  it('an empty page encodes to no records', () => {
    const page = encodePage([0, 10, Buffer.from('0')], 3);
    expect(page.count).toBe(0);
    expect(page.records.length).toBe(0);
  });
});
