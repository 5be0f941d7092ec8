import { rdbIntegrity } from './rdb-error.js';

/**
 * The compact encodings Redis stores as one string in an RDB (listpack.c, ziplist.c, intset.c,
 * zipmap.c): what their headers say about the number of entries, and a walk for when they do not
 * (a listpack or ziplist header says "unknown" from 65535 entries on). Walks check every entry
 * stays inside the blob, so a damaged blob is an error at its offset, never a read out of bounds.
 */
export type CompactKind = 'listpack' | 'ziplist' | 'intset' | 'zipmap';

/** Header bytes enough for every kind. */
export const COMPACT_HEAD_BYTES = 10;

const UNKNOWN_COUNT = 0xffff;

/** Entries the header states, -1 when it does not (a walk is needed). `len` is the blob's length. */
export function headerCount(kind: CompactKind, head: Buffer, len: number, offset: number): number {
  return headerCountAt(kind, head, 0, head.length, len, offset);
}

/** headerCount over `headLen` header bytes at `at` in `buf` (no view needed on the hot path). */
export function headerCountAt(kind: CompactKind, buf: Buffer, at: number, headLen: number, len: number, offset: number): number {
  const bad = (what: string) => rdbIntegrity(`damaged ${kind} (${what})`, offset, { encoding: kind });
  if (kind === 'listpack') {
    if (len < 7 || headLen < 6) throw bad(`${len} bytes is too short`);
    if (buf.readUInt32LE(at + 0) !== len) throw bad(`its header says ${buf.readUInt32LE(at + 0)} bytes, the string holds ${len}`);
    const n = buf.readUInt16LE(at + 4);
    return n === UNKNOWN_COUNT ? -1 : n;
  }
  if (kind === 'ziplist') {
    if (len < 11 || headLen < 10) throw bad(`${len} bytes is too short`);
    if (buf.readUInt32LE(at + 0) !== len) throw bad(`its header says ${buf.readUInt32LE(at + 0)} bytes, the string holds ${len}`);
    const n = buf.readUInt16LE(at + 8);
    return n === UNKNOWN_COUNT ? -1 : n;
  }
  if (kind === 'intset') {
    if (len < 8 || headLen < 8) throw bad(`${len} bytes is too short`);
    const width = buf.readUInt32LE(at + 0);
    const n = buf.readUInt32LE(at + 4);
    if (width !== 2 && width !== 4 && width !== 8) throw bad(`integer width ${width}`);
    if (8 + width * n !== len || n === 0) throw bad(`${n} entries of ${width} bytes do not fill ${len} bytes`);
    return n;
  }
  if (len < 2 || headLen < 1) throw bad(`${len} bytes is too short`);
  return buf[at]! < 254 ? buf[at]! : -1;
}

/** Count the entries of a whole blob by walking it (and check its end marker). */
export function walkCount(kind: CompactKind, data: Buffer, offset: number): number {
  if (kind === 'listpack') return listpackForEach(data, offset, () => undefined);
  if (kind === 'ziplist') return ziplistWalk(data, offset);
  if (kind === 'zipmap') return zipmapWalk(data, offset);
  return headerCount(kind, data, data.length, offset);
}

/**
 * Visit every listpack entry: `fn(index, intValue)` gets the integer value for integer entries and
 * NaN for strings. Returns the number of entries.
 */
export function listpackForEach(lp: Buffer, offset: number, fn: (index: number, intValue: number) => void): number {
  const end = lp.length;
  const bad = (p: number, what: string) => rdbIntegrity(`damaged listpack: ${what} at its byte ${p}`, offset, { encoding: 'listpack' });
  let p = 6;
  let n = 0;
  while (p < end) {
    const b = lp[p]!;
    if (b === 0xff) {
      if (p !== end - 1) throw bad(p, 'end marker before the end');
      return n;
    }
    let size: number;
    let value = NaN;
    if (b < 0x80) {
      size = 1;
      value = b;
    } else if (b < 0xc0) {
      size = 1 + (b & 0x3f);
    } else if (b < 0xe0) {
      size = 2;
      if (p + 1 < end) value = signExtend(((b & 0x1f) << 8) | lp[p + 1]!, 13);
    } else if (b < 0xf0) {
      if (p + 1 >= end) throw bad(p, 'entry cut short');
      size = 2 + (((b & 0x0f) << 8) | lp[p + 1]!);
    } else if (b === 0xf0) {
      if (p + 4 >= end) throw bad(p, 'entry cut short');
      size = 5 + lp.readUInt32LE(p + 1);
    } else if (b >= 0xf1 && b <= 0xf4) {
      const width = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      size = 1 + width;
      if (p + size <= end) value = width === 8 ? Number(lp.readBigInt64LE(p + 1)) : lp.readIntLE(p + 1, width);
    } else {
      throw bad(p, `unknown entry encoding 0x${b.toString(16)}`);
    }
    const next = p + size + backlenBytes(size);
    if (next > end - 1) throw bad(p, 'entry runs past the end');
    fn(n, value);
    n++;
    p = next;
  }
  throw bad(p, 'no end marker');
}

function signExtend(v: number, bits: number): number {
  const sign = 1 << (bits - 1);
  return v & sign ? v - (1 << bits) : v;
}

function backlenBytes(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

function ziplistWalk(zl: Buffer, offset: number): number {
  const end = zl.length;
  const bad = (p: number, what: string) => rdbIntegrity(`damaged ziplist: ${what} at its byte ${p}`, offset, { encoding: 'ziplist' });
  let p = 10;
  let n = 0;
  while (p < end) {
    if (zl[p] === 0xff) {
      if (p !== end - 1) throw bad(p, 'end marker before the end');
      return n;
    }
    p += zl[p]! < 254 ? 1 : 5; // previous entry length
    if (p >= end) throw bad(p, 'entry cut short');
    const e = zl[p]!;
    let size: number;
    if (e >> 6 === 0) size = 1 + (e & 0x3f);
    else if (e >> 6 === 1) {
      if (p + 1 >= end) throw bad(p, 'entry cut short');
      size = 2 + (((e & 0x3f) << 8) | zl[p + 1]!);
    } else if (e >> 6 === 2) {
      if (p + 4 >= end) throw bad(p, 'entry cut short');
      size = 5 + zl.readUInt32BE(p + 1);
    } else if (e === 0xc0) size = 3;
    else if (e === 0xd0) size = 5;
    else if (e === 0xe0) size = 9;
    else if (e === 0xf0) size = 4;
    else if (e === 0xfe) size = 2;
    else if (e >= 0xf1 && e <= 0xfd) size = 1;
    else throw bad(p, `unknown entry encoding 0x${e.toString(16)}`);
    p += size;
    if (p > end - 1) throw bad(p, 'entry runs past the end');
    n++;
  }
  throw bad(p, 'no end marker');
}

/** Zipmap (RDB types of Redis 2.x): the number of field/value pairs. */
function zipmapWalk(zm: Buffer, offset: number): number {
  const end = zm.length;
  const bad = (p: number) => rdbIntegrity(`damaged zipmap at its byte ${p}`, offset, { encoding: 'zipmap' });
  let p = 1;
  let n = 0;
  const length = (): number => {
    if (p >= end) throw bad(p);
    if (zm[p]! < 254) return zm[p++]!;
    if (p + 4 >= end) throw bad(p);
    const l = zm.readUInt32LE(p + 1);
    p += 5;
    return l;
  };
  while (p < end && zm[p] !== 0xff) {
    p += length();
    const vlen = length();
    if (p >= end) throw bad(p);
    p += 1 + zm[p]! + vlen; // free-space byte, value, free space
    if (p > end - 1) throw bad(p);
    n++;
  }
  if (p !== end - 1) throw bad(p);
  return n;
}
