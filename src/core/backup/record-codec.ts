import { GridctlError } from '../errors.js';
import { RECORD_FIXED_BYTES } from './archive-format.js';
import { typeCodeAt } from './dump-payload.js';

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
 * The records of one dump-script page, measured but not yet encoded: the writer has them encoded
 * straight into its frame buffer (encodeInto), so a page is never copied into a buffer of its own
 * first. Each record's parts stay where they arrived (in the reply's group strings).
 */
export interface PageRecords {
  count: number;
  /** Encoded size. */
  bytes: number;
  /** Each record's archive type code. */
  types: Uint8Array;
  /** Record i's key (a view into the reply). */
  key(i: number): Buffer;
  /** Record i's key decoded as latin1 (namespace counts), without a view per key. */
  keyString(i: number): string;
  encodeInto(out: Buffer, offset: number): void;
}

export interface EncodedPage extends PageRecords {
  records: Buffer;
}

const TWO_32 = 4294967296;

/**
 * The dump script's grouped reply (dump-script.ts) as archive records: from `reply[from]` on,
 * groups of `key length, expiry, payload length` integers, each group followed by one string
 * holding its keys and payloads back to back. The type byte comes from the payload
 * (typeCodeFromPayload). Lengths are checked against the group strings: a reply that does not add
 * up throws INTEGRITY rather than producing misframed records. The i64 expiry is written as two
 * 32-bit halves: no BigInt per key.
 */
export function pageRecords(reply: ReadonlyArray<unknown>, from: number): PageRecords {
  const max = Math.max(0, Math.floor((reply.length - from) / 3));
  const keyLen = new Int32Array(max);
  const payLen = new Int32Array(max);
  const keyStart = new Int32Array(max);
  const blobOf = new Int32Array(max);
  const expiry = new Float64Array(max);
  const types = new Uint8Array(max);
  const blobs: Buffer[] = [];
  let count = 0;
  let bytes = 0;
  let groupFirst = 0;
  let i = from;
  const len = reply.length;
  while (i < len) {
    const v = reply[i];
    if (typeof v === 'number') {
      if (i + 2 >= len) throw badReply(`a record's integers are cut short at element ${i}`);
      keyLen[count] = v;
      expiry[count] = reply[i + 1] as number;
      payLen[count] = reply[i + 2] as number;
      count++;
      i += 3;
      continue;
    }
    if (!Buffer.isBuffer(v)) throw badReply(`unexpected element ${i}`);
    const blob = blobs.length;
    blobs.push(v);
    let o = 0;
    for (let r = groupFirst; r < count; r++) {
      const kl = keyLen[r]!;
      const pl = payLen[r]!;
      if (!(kl >= 0 && pl >= 0) || o + kl + pl > v.length) throw badReply(`record lengths run past their group string (element ${i})`);
      keyStart[r] = o;
      blobOf[r] = blob;
      types[r] = typeCodeAt(v, o + kl, pl);
      o += kl + pl;
      bytes += RECORD_FIXED_BYTES + kl + pl;
    }
    if (o !== v.length) throw badReply(`group string at element ${i} holds ${v.length - o} bytes more than its records`);
    groupFirst = count;
    i++;
  }
  if (groupFirst !== count) throw badReply('records without their group string');
  const encodeInto = (out: Buffer, offset: number): void => {
    let o = offset;
    for (let r = 0; r < count; r++) {
      const blob = blobs[blobOf[r]!]!;
      const ks = keyStart[r]!;
      const kl = keyLen[r]!;
      const pl = payLen[r]!;
      const expireAt = expiry[r]!;
      out[o] = types[r]!;
      out.writeUInt32BE(kl, o + 1);
      o += 5;
      o += blob.copy(out, o, ks, ks + kl);
      const hi = Math.floor(expireAt / TWO_32);
      out.writeInt32BE(hi, o);
      out.writeUInt32BE(expireAt - hi * TWO_32, o + 4);
      out.writeUInt32BE(pl, o + 8);
      o += 12;
      o += blob.copy(out, o, ks + kl, ks + kl + pl);
    }
  };
  return {
    count,
    bytes,
    types: types.subarray(0, count),
    key: (r) => blobs[blobOf[r]!]!.subarray(keyStart[r]!, keyStart[r]! + keyLen[r]!),
    keyString: (r) => blobs[blobOf[r]!]!.toString('latin1', keyStart[r]!, keyStart[r]! + keyLen[r]!),
    encodeInto,
  };
}

function badReply(what: string): GridctlError {
  return new GridctlError('INTEGRITY', `the dump script's reply is malformed: ${what}`);
}

/** pageRecords encoded into a buffer of their own. */
export function encodePage(reply: ReadonlyArray<unknown>, from: number): EncodedPage {
  const page = pageRecords(reply, from);
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
