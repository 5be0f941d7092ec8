import { createWasmCrc, type WasmCrc } from './crc64-wasm.js';

/**
 * CRC-64/Jones as Redis computes it over an RDB file and a DUMP payload (crc64.c: polynomial
 * 0xad93d23594c935a9, reflected in and out, initial value 0, no final xor; check value of
 * "123456789" is 0xe9c6d914c4b8d9ca). The 64-bit state is kept as two unsigned 32-bit halves so
 * no BigInt is touched per byte, and 8 bytes are folded per step through 8 lookup tables
 * ("slicing by 8"), which is what makes it fast enough to run at the parser's speed.
 */
const TABLES = buildTables();
const LO = TABLES.lo;
const HI = TABLES.hi;
/** Large inputs go through the WebAssembly loop (crc64-wasm.ts), made on first need. */
const WASM_FROM_BYTES = 4096;
let wasm: WasmCrc | undefined | null = null;

function buildTables(): { lo: Uint32Array; hi: Uint32Array } {
  // The reflected polynomial (bit order reversed): 0x95ac9329ac4bc9b5.
  const polyHi = 0x95ac9329;
  const polyLo = 0xac4bc9b5;
  const lo = new Uint32Array(8 * 256);
  const hi = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h = h >>> 1;
      if (carry) {
        l = (l ^ polyLo) >>> 0;
        h = (h ^ polyHi) >>> 0;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  // Table t[k][n] = CRC of byte n followed by k zero bytes.
  for (let t = 1; t < 8; t++) {
    for (let n = 0; n < 256; n++) {
      const pl = lo[(t - 1) * 256 + n]!;
      const ph = hi[(t - 1) * 256 + n]!;
      const idx = pl & 0xff;
      lo[t * 256 + n] = (((pl >>> 8) | (ph << 24)) ^ lo[idx]!) >>> 0;
      hi[t * 256 + n] = ((ph >>> 8) ^ hi[idx]!) >>> 0;
    }
  }
  return { lo, hi };
}

/** A running CRC-64 over bytes handed to it in order. */
export class Crc64 {
  lo = 0;
  hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): void {
    if (end - start >= WASM_FROM_BYTES) {
      if (wasm === null) wasm = createWasmCrc(LO, HI);
      if (wasm) {
        [this.lo, this.hi] = wasm.update(this.lo, this.hi, buf, start, end);
        return;
      }
    }
    let l = this.lo;
    let h = this.hi;
    let i = start;
    const fast = end - 8;
    while (i <= fast) {
      l ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      h ^= buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
      const nl =
        LO[1792 + (l & 0xff)]! ^ LO[1536 + ((l >>> 8) & 0xff)]! ^ LO[1280 + ((l >>> 16) & 0xff)]! ^ LO[1024 + (l >>> 24)]! ^
        LO[768 + (h & 0xff)]! ^ LO[512 + ((h >>> 8) & 0xff)]! ^ LO[256 + ((h >>> 16) & 0xff)]! ^ LO[h >>> 24]!;
      const nh =
        HI[1792 + (l & 0xff)]! ^ HI[1536 + ((l >>> 8) & 0xff)]! ^ HI[1280 + ((l >>> 16) & 0xff)]! ^ HI[1024 + (l >>> 24)]! ^
        HI[768 + (h & 0xff)]! ^ HI[512 + ((h >>> 8) & 0xff)]! ^ HI[256 + ((h >>> 16) & 0xff)]! ^ HI[h >>> 24]!;
      l = nl;
      h = nh;
      i += 8;
    }
    while (i < end) {
      const idx = (l ^ buf[i]!) & 0xff;
      l = ((l >>> 8) | (h << 24)) ^ LO[idx]!;
      h = (h >>> 8) ^ HI[idx]!;
      i++;
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

/** The 8 little-endian bytes at `offset`, as hex (for messages). */
export function storedCrcHex(buf: Uint8Array, offset: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += buf[offset + i]!.toString(16).padStart(2, '0');
  return s;
}
