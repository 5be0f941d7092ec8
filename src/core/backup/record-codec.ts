import { GridctlError } from '../errors.js';
import { RECORD_FIXED_BYTES } from './archive-format.js';

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

const TWO_32 = 4294967296;

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
