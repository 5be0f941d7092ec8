import { describe, it, expect } from 'vitest';
import { encodePage, encodeRecord, forEachRecord } from '../../../src/core/backup/record-codec.js';

describe('encodePage: archive records from the dump script grouped reply', () => {
  it('builds the same bytes as encodeRecord, with the type from the payload and every expiry kept', () => {
    const binaryKey = Buffer.from([0, 255, 10, 13, 58]);
    const hashPayload = Buffer.concat([Buffer.from([16]), Buffer.alloc(20, 7)]); // RDB type 16: hash listpack
    const stringPayload = Buffer.concat([Buffer.from([0]), Buffer.from('value'), Buffer.alloc(10, 1)]);
    const farFuture = 2 ** 52 + 12345; // above 2^32: both i64 halves matter
    const key1 = Buffer.from('user:session:1');
    const reply = [2, 1234, Buffer.from('0'), key1.length, -1, stringPayload.length, binaryKey.length, farFuture, hashPayload.length, Buffer.concat([key1, stringPayload, binaryKey, hashPayload])];
    const page = encodePage(reply, 3);
    expect(page.count).toBe(2);
    expect(Array.from(page.types)).toEqual([0, 4]);
    expect([0, 1].map((i) => page.key(i).toString('hex'))).toEqual([key1.toString('hex'), binaryKey.toString('hex')]);
    expect([0, 1].map((i) => page.keyString(i))).toEqual([key1.toString('latin1'), binaryKey.toString('latin1')]);
    expect(page.records.equals(Buffer.concat([encodeRecord(0, Buffer.from('user:session:1'), -1, stringPayload), encodeRecord(4, binaryKey, farFuture, hashPayload)]))).toBe(true);
    const seen: Array<[number, string, number]> = [];
    forEachRecord(page.records, 0, (r) => seen.push([r.type, r.key.toString('hex'), r.expireAt]));
    expect(seen).toEqual([[0, Buffer.from('user:session:1').toString('hex'), -1], [4, binaryKey.toString('hex'), farFuture]]);
  });

  it('records spread over several group strings, an empty key and an empty payload', () => {
    const g1 = [Buffer.from('a'), Buffer.from([0, 1, 2]), Buffer.alloc(0), Buffer.from([2, 9])];
    const g2 = [Buffer.from('stream:x'), Buffer.from([21, 5, 5])];
    const reply = [3, 10, Buffer.from('17'), 1, 5, 3, 0, -1, 2, Buffer.concat(g1), 8, 2 ** 40, 3, Buffer.concat(g2)];
    const page = encodePage(reply, 3);
    expect(page.count).toBe(3);
    expect(Array.from(page.types)).toEqual([0, 2, 5]);
    expect(page.records.equals(Buffer.concat([
      encodeRecord(0, g1[0]!, 5, g1[1]!), encodeRecord(2, g1[2]!, -1, g1[3]!), encodeRecord(5, g2[0]!, 2 ** 40, g2[1]!),
    ]))).toBe(true);
    expect(page.bytes).toBe(page.records.length);
  });

  it('a reply whose lengths do not add up to its group strings is refused (INTEGRITY), never misframed', () => {
    const blob = Buffer.from('keyPAYLOAD');
    expect(() => encodePage([1, 1, Buffer.from('0'), 3, -1, 8, blob], 3)).toThrow(/malformed/); // runs past
    expect(() => encodePage([1, 1, Buffer.from('0'), 3, -1, 6, blob], 3)).toThrow(/malformed/); // bytes left over
    expect(() => encodePage([1, 1, Buffer.from('0'), 3, -1, 7], 3)).toThrow(/malformed/); // no group string
    expect(() => encodePage([1, 1, Buffer.from('0'), 3, -1], 3)).toThrow(/malformed/); // integers cut short
  });

  it('an empty page encodes to no records', () => {
    const page = encodePage([0, 10, Buffer.from('0')], 3);
    expect(page.count).toBe(0);
    expect(page.records.length).toBe(0);
  });
});
