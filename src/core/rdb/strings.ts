import { ENC_INT16, ENC_INT32, ENC_INT8, ENC_LZF, LEN_32BIT, LEN_64BIT } from './format.js';
import type { RdbInput } from './input.js';
import { lzfDecompress, lzfPrefix } from './lzf.js';
import { rdbIntegrity } from './rdb-error.js';

/**
 * RDB lengths and strings (rdb.c rdbLoadLen / rdbGenericLoadStringObject): a length is 1, 2, 5 or
 * 9 bytes by its top two bits; a string is a length and bytes, or "encoded" (top bits 11): an
 * 8/16/32-bit little-endian integer, or LZF (compressed length, decoded length, data).
 */
export const STR_RAW = 0;
export const STR_INT = 1;
const STR_LZF = 2;

/** Bytes of a string kept at its start even when the string itself is too large to hold. */
const HEAD_BYTES = 64;

/** One string as read: where its data lies in the window, or only its head when too large to hold. */
export class StrRef {
  kind = STR_RAW;
  /** Decoded length (for an integer: the length of its decimal form). */
  len = 0;
  /** LZF: compressed length. */
  clen = 0;
  /** Window position of the (raw or compressed) data. */
  start = 0;
  /** The whole data is in the window (else only its first HEAD_BYTES, the rest skipped). */
  held = false;
  intValue = 0;
  /** Absolute offset of the string's length prefix (for messages). */
  offset = 0;
}

export function readLen(inp: RdbInput): number {
  const b = inp.u8();
  const kind = b >> 6;
  if (kind === 0) return b & 0x3f;
  if (kind === 1) return ((b & 0x3f) << 8) | inp.u8();
  if (b === LEN_32BIT) {
    inp.need(4);
    const v = inp.buf.readUInt32BE(inp.pos);
    inp.pos += 4;
    return v;
  }
  if (b === LEN_64BIT) {
    inp.need(8);
    const hi = inp.buf.readUInt32BE(inp.pos);
    const lo = inp.buf.readUInt32BE(inp.pos + 4);
    inp.pos += 8;
    if (hi >= 0x200000) throw rdbIntegrity(`length ${hi * 4294967296 + lo} is beyond any Redis structure`, inp.offset - 9);
    return hi * 4294967296 + lo;
  }
  throw rdbIntegrity(`${kind === 3 ? 'an encoded string' : `unknown length prefix 0x${b.toString(16)}`} where a length was expected`, inp.offset - 1);
}

/** Read one string's header (and its data when at most `holdLimit` bytes). */
export function readString(inp: RdbInput, ref: StrRef, holdLimit: number): void {
  ref.offset = inp.offset;
  const b = inp.u8();
  if (b >> 6 !== 3) {
    inp.pos--;
    const len = readLen(inp);
    ref.kind = STR_RAW;
    ref.len = len;
    ref.clen = len;
    hold(inp, ref, len, holdLimit);
    return;
  }
  const enc = b & 0x3f;
  if (enc === ENC_INT8) {
    inp.need(1);
    setInt(ref, inp.buf.readInt8(inp.pos));
    inp.pos += 1;
  } else if (enc === ENC_INT16) {
    inp.need(2);
    setInt(ref, inp.buf.readInt16LE(inp.pos));
    inp.pos += 2;
  } else if (enc === ENC_INT32) {
    inp.need(4);
    setInt(ref, inp.buf.readInt32LE(inp.pos));
    inp.pos += 4;
  } else if (enc === ENC_LZF) {
    const clen = readLen(inp);
    const len = readLen(inp);
    if (clen === 0 || len === 0) throw rdbIntegrity(`LZF string with ${clen === 0 ? 'no compressed' : 'no decoded'} bytes`, ref.offset);
    ref.kind = STR_LZF;
    ref.len = len;
    ref.clen = clen;
    hold(inp, ref, clen, holdLimit);
  } else {
    throw rdbIntegrity(`unknown string encoding ${enc}`, ref.offset);
  }
}

function setInt(ref: StrRef, v: number): void {
  ref.kind = STR_INT;
  ref.intValue = v;
  ref.len = decimalLength(v);
  ref.held = true;
}

function hold(inp: RdbInput, ref: StrRef, stored: number, holdLimit: number): void {
  if (stored <= holdLimit) {
    inp.need(stored);
    ref.start = inp.pos;
    ref.held = true;
    inp.pos += stored;
    return;
  }
  inp.need(Math.min(stored, HEAD_BYTES));
  ref.start = inp.pos;
  ref.held = false;
  inp.skip(stored);
}

function decimalLength(v: number): number {
  let n = v < 0 ? 2 : 1;
  let a = Math.abs(v);
  while (a >= 10) {
    a = Math.floor(a / 10);
    n++;
  }
  return n;
}

/** The whole string (decompressed), when held and at most `limit` bytes decoded; else undefined. */
export function stringBytes(inp: RdbInput, ref: StrRef, limit: number): Buffer | undefined {
  if (ref.kind === STR_INT) return Buffer.from(String(ref.intValue), 'latin1');
  if (!ref.held || ref.len > limit) return undefined;
  if (ref.kind === STR_RAW) return inp.buf.subarray(ref.start, ref.start + ref.len);
  const out = Buffer.allocUnsafe(ref.len);
  if (!lzfDecompress(inp.buf, ref.start, ref.start + ref.clen, out, ref.len)) throw rdbIntegrity('damaged LZF-compressed string', ref.offset);
  return out;
}

/** The first `n` decoded bytes of a string (fewer if it is shorter), held or not. */
export function stringHead(inp: RdbInput, ref: StrRef, n: number): Buffer {
  if (ref.kind === STR_INT) return Buffer.from(String(ref.intValue), 'latin1').subarray(0, n);
  const want = Math.min(n, ref.len);
  if (ref.kind === STR_RAW) return inp.buf.subarray(ref.start, ref.start + want);
  const storedHere = ref.held ? ref.clen : Math.min(ref.clen, HEAD_BYTES);
  const head = lzfPrefix(inp.buf, ref.start, ref.start + storedHere, want);
  if (!head || head.length < want) throw rdbIntegrity('damaged LZF-compressed string', ref.offset);
  return head;
}

/** Read a string that must be small (aux fields, names): its bytes, or an error naming `what`. */
export function readSmallString(inp: RdbInput, ref: StrRef, limit: number, what: string): Buffer {
  readString(inp, ref, limit);
  const bytes = stringBytes(inp, ref, limit);
  if (!bytes) throw rdbIntegrity(`${what} of ${ref.len} bytes is implausibly large`, ref.offset);
  return bytes;
}

/** A length read as a full 64-bit value (module type ids use all 64 bits). */
export function readLen64(inp: RdbInput): bigint {
  const b = inp.u8();
  if (b === LEN_64BIT) {
    inp.need(8);
    const v = inp.buf.readBigUInt64BE(inp.pos);
    inp.pos += 8;
    return v;
  }
  inp.pos--;
  return BigInt(readLen(inp));
}

/** Move past a length whose value is not needed (IDs, offsets: any 64-bit value is valid there). */
export function skipLen(inp: RdbInput): void {
  const b = inp.u8();
  const kind = b >> 6;
  if (kind === 0) return;
  if (kind === 1) return void inp.u8();
  if (b === LEN_32BIT) return inp.need(4), void (inp.pos += 4);
  if (b === LEN_64BIT) return inp.need(8), void (inp.pos += 8);
  throw rdbIntegrity(`unknown length prefix 0x${b.toString(16)}`, inp.offset - 1);
}
