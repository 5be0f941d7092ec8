/**
 * CRC-64/Jones as Redis computes it over an RDB file and a DUMP payload (crc64.c: reflected
 * polynomial 0x95ac9329ac4bc9b5, initial value 0, no final xor; "123456789" -> 0xe9c6d914c4b8d9ca).
 * A byte-wise table over two 32-bit halves (no BigInt per byte). Kept to this one file, with the
 * same names as src/core/rdb/crc64.ts (issue 22's faster one), so switching is an import change.
 */
const LO = new Uint32Array(256);
const HI = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let l = n;
  let h = 0;
  for (let k = 0; k < 8; k++) {
    const carry = l & 1;
    l = ((l >>> 1) | (h << 31)) >>> 0;
    h >>>= 1;
    if (carry) {
      l = (l ^ 0xac4bc9b5) >>> 0;
      h = (h ^ 0x95ac9329) >>> 0;
    }
  }
  LO[n] = l;
  HI[n] = h;
}

/** A running CRC-64 over bytes handed to it in order. */
export class Crc64 {
  lo = 0;
  hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): void {
    let l = this.lo;
    let h = this.hi;
    for (let i = start; i < end; i++) {
      const idx = (l ^ buf[i]!) & 0xff;
      l = ((l >>> 8) | (h << 24)) ^ LO[idx]!;
      h = (h >>> 8) ^ HI[idx]!;
    }
    this.lo = l >>> 0;
    this.hi = h >>> 0;
  }

  /** Does the CRC so far equal the 8 little-endian bytes at `offset` (how Redis stores it)? */
  matchesLE(buf: Uint8Array, offset: number): boolean {
    const l = (buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16) | (buf[offset + 3]! << 24)) >>> 0;
    const h = (buf[offset + 4]! | (buf[offset + 5]! << 8) | (buf[offset + 6]! << 16) | (buf[offset + 7]! << 24)) >>> 0;
    return l === this.lo && h === this.hi;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** CRC-64/Jones of one buffer (DUMP payloads, tests). */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): Crc64 {
  const c = new Crc64();
  c.update(buf, start, end);
  return c;
}
