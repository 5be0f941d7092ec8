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

/**
 * The records of one dump-script page (key, expiry, DUMP payload triples), measured but not yet
 * encoded: the writer has them encoded straight into its frame buffer (encodeInto), so a page is
 * never copied into a buffer of its own first.
 */
export interface PageRecords {
  count: number;
  /** Encoded size. */
  bytes: number;
  /** Each record's key (views into the reply) and archive type code. */
  keys: Buffer[];
  types: Uint8Array;
  encodeInto(out: Buffer, offset: number): void;
}

export interface EncodedPage extends PageRecords {
  records: Buffer;
}

const TWO_32 = 4294967296;

/**
 * `triples[from..]` = key, absolute expiry (ms, -1 none), DUMP payload, ... (the dump script's flat
 * reply) as archive records. The type byte comes from the payload (typeCodeFromPayload). The i64
 * expiry is written as two 32-bit halves: no BigInt per key.
 */
export function pageRecords(triples: ReadonlyArray<unknown>, from: number): PageRecords {
  const count = Math.max(0, Math.floor((triples.length - from) / 3));
  let bytes = 0;
  const keys: Buffer[] = new Array<Buffer>(count);
  const types = new Uint8Array(count);
  for (let r = 0, i = from; r < count; r++, i += 3) {
    const key = triples[i] as Buffer;
    const payload = triples[i + 2] as Buffer;
    keys[r] = key;
    types[r] = typeCodeFromPayload(payload);
    bytes += RECORD_FIXED_BYTES + key.length + payload.length;
  }
  const encodeInto = (out: Buffer, offset: number): void => {
    let o = offset;
    for (let r = 0, i = from; r < count; r++, i += 3) {
      const key = keys[r]!;
      const expireAt = Number(triples[i + 1]);
      const payload = triples[i + 2] as Buffer;
      out[o] = types[r]!;
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
  };
  return { count, bytes, keys, types, encodeInto };
}

/** pageRecords encoded into a buffer of their own. */
export function encodePage(triples: ReadonlyArray<unknown>, from: number): EncodedPage {
  const page = pageRecords(triples, from);
  const records = Buffer.allocUnsafe(page.bytes);
  page.encodeInto(records, 0);
  return { ...page, records };
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

/**
 * The same walk and the same checks as forEachRecord, without an object or views per record: the
 * verification's hot path. fn gets the type, the absolute expiry and where the payload lies in `raw`.
 */
export function forEachRecordLite(raw: Buffer, firstIndex: number, fn: (type: number, expireAt: number, payloadStart: number, payloadEnd: number) => void): number {
  let o = 0;
  let i = 0;
  const len = raw.length;
  while (o < len) {
    const start = o;
    if (o + 5 > len) throw badRecord(firstIndex + i, start, 'record header cut short');
    const type = raw[o]!;
    const keyLen = raw.readUInt32BE(o + 1);
    o += 5;
    if (o + keyLen + 12 > len) throw badRecord(firstIndex + i, start, `key length ${keyLen} runs past the frame`);
    o += keyLen;
    const expireAt = raw.readInt32BE(o) * TWO_32 + raw.readUInt32BE(o + 4);
    const payloadLen = raw.readUInt32BE(o + 8);
    o += 12;
    if (o + payloadLen > len) throw badRecord(firstIndex + i, start, `payload length ${payloadLen} runs past the frame`);
    fn(type, expireAt, o, o + payloadLen);
    o += payloadLen;
    i++;
  }
  return i;
}

function badRecord(index: number, offset: number, what: string): GridctlError {
  return new GridctlError('INTEGRITY', `record #${index} (byte ${offset} of its frame): ${what}`, { details: { record: index } });
}
