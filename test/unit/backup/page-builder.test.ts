import { describe, it, expect } from 'vitest';
import { PageBuilder } from '../../../src/core/backup/page-builder.js';
import { encodeRecord, forEachRecord } from '../../../src/core/backup/record-codec.js';

/** Keys back to back with their offsets, as a SCAN page holds them. */
function keyList(keys: Buffer[]): { keys: Buffer; offsets: number[] } {
  const offsets = [0];
  for (const k of keys) offsets.push(offsets[offsets.length - 1]! + k.length);
  return { keys: Buffer.concat(keys), offsets };
}

function encoded(page: { bytes: number; encodeInto(out: Buffer, offset: number): void }): Buffer {
  const out = Buffer.alloc(page.bytes + 3, 0xee);
  page.encodeInto(out, 3);
  return out.subarray(3);
}

describe('PageBuilder: archive records from keys and DUMP payloads where they arrived', () => {
  it('builds the same bytes as encodeRecord: binary keys, the type from the payload, every expiry kept', () => {
    const binaryKey = Buffer.from([0, 255, 10, 13, 58]);
    const hashPayload = Buffer.concat([Buffer.from([16]), Buffer.alloc(20, 7)]); // RDB type 16: hash listpack
    const stringPayload = Buffer.concat([Buffer.from([0]), Buffer.from('value'), Buffer.alloc(10, 1)]);
    const farFuture = 2 ** 52 + 12345; // above 2^32: both i64 halves matter
    const key1 = Buffer.from('user:session:1');
    const { keys, offsets } = keyList([key1, binaryKey]);
    // The payloads sit inside a larger buffer, as they do in the socket bytes.
    const socketBytes = Buffer.concat([Buffer.from('$16\r\n'), stringPayload, Buffer.from('\r\n'), hashPayload]);
    const b = new PageBuilder();
    b.reset(2);
    b.add(keys, offsets[0]!, offsets[1]!, -1, socketBytes, 5, stringPayload.length);
    b.add(keys, offsets[1]!, offsets[2]!, farFuture, socketBytes, 5 + stringPayload.length + 2, hashPayload.length);
    const page = b.page();
    expect(page.count).toBe(2);
    expect(Array.from(page.types)).toEqual([0, 4]);
    expect([0, 1].map((i) => page.key(i).toString('hex'))).toEqual([key1.toString('hex'), binaryKey.toString('hex')]);
    expect([0, 1].map((i) => page.keyString(i))).toEqual([key1.toString('latin1'), binaryKey.toString('latin1')]);
    const bytes = encoded(page);
    expect(bytes.equals(Buffer.concat([encodeRecord(0, key1, -1, stringPayload), encodeRecord(4, binaryKey, farFuture, hashPayload)]))).toBe(true);
    const seen: Array<[number, string, number]> = [];
    forEachRecord(bytes, 0, (r) => seen.push([r.type, r.key.toString('hex'), r.expireAt]));
    expect(seen).toEqual([[0, key1.toString('hex'), -1], [4, binaryKey.toString('hex'), farFuture]]);
  });

  it('an empty key, an empty payload, and a stream payload', () => {
    const { keys, offsets } = keyList([Buffer.alloc(0), Buffer.from('stream:x')]);
    const stream = Buffer.from([21, 5, 5]);
    const b = new PageBuilder();
    b.reset(2);
    b.add(keys, offsets[0]!, offsets[1]!, 5, Buffer.alloc(0), 0, 0);
    b.add(keys, offsets[1]!, offsets[2]!, 2 ** 40, stream, 0, 3);
    const page = b.page();
    expect(Array.from(page.types)).toEqual([6, 5]);
    expect(encoded(page).equals(Buffer.concat([encodeRecord(6, Buffer.alloc(0), 5, Buffer.alloc(0)), encodeRecord(5, Buffer.from('stream:x'), 2 ** 40, stream)]))).toBe(true);
  });

  it('grows for a payload larger than its buffer, and starts over empty on reset', () => {
    const big = Buffer.alloc(3 << 20, 0x61);
    big[0] = 0;
    const { keys, offsets } = keyList([Buffer.from('big'), Buffer.from('small')]);
    const b = new PageBuilder();
    b.reset(2);
    b.add(keys, offsets[0]!, offsets[1]!, -1, big, 0, big.length);
    b.add(keys, offsets[1]!, offsets[2]!, -1, Buffer.from([0, 1]), 0, 2);
    expect(encoded(b.page()).equals(Buffer.concat([encodeRecord(0, Buffer.from('big'), -1, big), encodeRecord(0, Buffer.from('small'), -1, Buffer.from([0, 1]))]))).toBe(true);
    b.reset(1);
    expect(b.page().count).toBe(0);
    expect(b.page().bytes).toBe(0);
    b.add(keys, offsets[1]!, offsets[2]!, 7, Buffer.from([0, 1]), 0, 2);
    expect(encoded(b.page()).equals(encodeRecord(0, Buffer.from('small'), 7, Buffer.from([0, 1])))).toBe(true);
  });
});
