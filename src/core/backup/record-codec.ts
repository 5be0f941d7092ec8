import { GridctlError } from '../errors.js';
import { RECORD_FIXED_BYTES } from './archive-format.js';
import { typeCodeFromPayload } from './dump-payload.js';

/** One backed-up key, as views into a frame's decompressed bytes (no copies). */
export interface ArchiveRecord {
  type: number;
  key: Buffer;
  /** Absolute expiry, ms since the epoch; -1 = no expiry. */
  expireAt: number;
  payload: Buffer;
  /** Where the record starts and ends inside its frame's raw bytes. */
  start: number;
  end: number;
}

/** Encode one record (used by tests and by any writer that has the parts in hand). */
export function encodeRecord(type: number, key: Buffer, expireAt: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORD_FIXED_BYTES + key.length + payload.length);
  let o = out.writeUInt8(type, 0);
  o = out.writeUInt32BE(key.length, o);
  o += key.copy(out, o);
  o = out.writeBigInt64BE(BigInt(expireAt), o);
  o = out.writeUInt32BE(payload.length, o);
  payload.copy(out, o);
  return out;
}

/** Records built from (key, expiry, DUMP payload) triples, plus what the caller counts per key. */
export interface EncodedPage {
  records: Buffer;
  count: number;
  /** Each record's key (views into the reply, valid while the page is) and archive type code. */
  keys: Buffer[];
  types: Uint8Array;
}

const TWO_32 = 4294967296;

/**
 * Encode `triples[from..]` = key, absolute expiry (ms, -1 none), DUMP payload, ... (the dump
 * script's flat reply) as archive records in one buffer. The type byte comes from the payload
 * (typeCodeFromPayload). The i64 expiry is written as two 32-bit halves: no BigInt per key.
 */
export function encodePage(triples: ReadonlyArray<unknown>, from: number): EncodedPage {
  const count = Math.max(0, Math.floor((triples.length - from) / 3));
  let total = 0;
  for (let i = from; i + 2 < triples.length; i += 3) {
    total += RECORD_FIXED_BYTES + (triples[i] as Buffer).length + (triples[i + 2] as Buffer).length;
  }
  const out = Buffer.allocUnsafe(total);
  const keys: Buffer[] = new Array<Buffer>(count);
  const types = new Uint8Array(count);
  let o = 0;
  for (let r = 0, i = from; r < count; r++, i += 3) {
    const key = triples[i] as Buffer;
    const expireAt = Number(triples[i + 1]);
    const payload = triples[i + 2] as Buffer;
    const type = typeCodeFromPayload(payload);
    types[r] = type;
    keys[r] = key;
    out[o] = type;
    out.writeUInt32BE(key.length, o + 1);
    o += 5;
    o += key.copy(out, o);
    const hi = Math.floor(expireAt / TWO_32);
    out.writeInt32BE(hi, o);
    out.writeUInt32BE(expireAt - hi * TWO_32, o + 4);
    out.writeUInt32BE(payload.length, o + 8);
    o += 12;
    o += payload.copy(out, o);
  }
  return { records: out, count, keys, types };
}

/**
 * Walk the records packed in `raw`, calling fn for each. Throws a GridctlError INTEGRITY naming
 * the record index (`firstIndex` + position) when a length runs past the end.
 */
export function forEachRecord(raw: Buffer, firstIndex: number, fn: (r: ArchiveRecord, index: number) => void): number {
  let o = 0;
  let i = 0;
  while (o < raw.length) {
    const start = o;
    if (o + 5 > raw.length) throw badRecord(firstIndex + i, start, 'record header cut short');
    const type = raw[o]!;
    const keyLen = raw.readUInt32BE(o + 1);
    o += 5;
    if (o + keyLen + 12 > raw.length) throw badRecord(firstIndex + i, start, `key length ${keyLen} runs past the frame`);
    const key = raw.subarray(o, o + keyLen);
    o += keyLen;
    const expireAt = Number(raw.readBigInt64BE(o));
    o += 8;
    const payloadLen = raw.readUInt32BE(o);
    o += 4;
    if (o + payloadLen > raw.length) throw badRecord(firstIndex + i, start, `payload length ${payloadLen} runs past the frame`);
    const payload = raw.subarray(o, o + payloadLen);
    o += payloadLen;
    fn({ type, key, expireAt, payload, start, end: o }, firstIndex + i);
    i++;
  }
  return i;
}

function badRecord(index: number, offset: number, what: string): GridctlError {
  return new GridctlError('INTEGRITY', `record #${index} (byte ${offset} of its frame): ${what}`, { details: { record: index } });
}
