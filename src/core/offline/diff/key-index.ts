/**
 * Every key of one backup, as a compact row: a 64-bit fingerprint of its name, its namespace
 * index, its estimated bytes for both allocator builds, and flags. About 28 bytes a key in typed
 * arrays (no string, no object per key), so two 1M-key backups compare in a few tens of MB.
 * Fingerprints of 64 bits make a false match between two different names about 1 in 2^64 per pair
 * (a 1M-key backup: ~3e-8 for the whole diff).
 */
export const FLAG_TTL = 1;
export const FLAG_BIG = 2;

export interface KeyIndexData {
  count: number;
  hashLo: Uint32Array;
  hashHi: Uint32Array;
  ns: Uint16Array;
  bytes: [Float64Array, Float64Array];
  flags: Uint8Array;
}

export class KeyIndex {
  data: KeyIndexData;

  constructor(capacity = 1 << 16) {
    this.data = allocate(capacity);
  }

  push(lo: number, hi: number, ns: number, bytes8: number, bytes16: number, flags: number): void {
    const d = this.data;
    if (d.count === d.hashLo.length) this.grow();
    const i = this.data.count++;
    const g = this.data;
    g.hashLo[i] = lo;
    g.hashHi[i] = hi;
    g.ns[i] = ns;
    g.bytes[0][i] = bytes8;
    g.bytes[1][i] = bytes16;
    g.flags[i] = flags;
  }

  /** The rows, trimmed to their count (transferable to another thread). */
  seal(): KeyIndexData {
    const d = this.data;
    const n = d.count;
    return { count: n, hashLo: d.hashLo.slice(0, n), hashHi: d.hashHi.slice(0, n), ns: d.ns.slice(0, n), bytes: [d.bytes[0].slice(0, n), d.bytes[1].slice(0, n)], flags: d.flags.slice(0, n) };
  }

  private grow(): void {
    const old = this.data;
    const next = allocate(old.hashLo.length * 2);
    next.hashLo.set(old.hashLo);
    next.hashHi.set(old.hashHi);
    next.ns.set(old.ns);
    next.bytes[0].set(old.bytes[0]);
    next.bytes[1].set(old.bytes[1]);
    next.flags.set(old.flags);
    next.count = old.count;
    this.data = next;
  }
}

function allocate(n: number): KeyIndexData {
  return { count: 0, hashLo: new Uint32Array(n), hashHi: new Uint32Array(n), ns: new Uint16Array(n), bytes: [new Float64Array(n), new Float64Array(n)], flags: new Uint8Array(n) };
}

/**
 * Two independent 32-bit hashes of a key's bytes and database (FNV-1a, and a multiply-xorshift
 * mix seeded by the length and database). Written into `out` (no array per key).
 */
export function fingerprint(bytes: Uint8Array, len: number, db: number, out: Uint32Array): void {
  let a = Math.imul(0x811c9dc5 ^ db, 0x01000193);
  let b = (len ^ 0x9747b28c ^ Math.imul(db, 0x27d4eb2f)) | 0;
  for (let i = 0; i < len; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  out[0] = a >>> 0;
  out[1] = (b ^ (b >>> 16)) >>> 0;
}

/** Open-addressing lookup from fingerprint to row, over one sealed index. */
export class FingerprintTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly d: KeyIndexData) {
    let size = 1024;
    while (size < d.count * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < d.count; i++) {
      let s = (d.hashLo[i]! ^ Math.imul(d.hashHi[i]!, 0x9e3779b1)) & this.mask;
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.slots[s] = i;
    }
  }

  /** The row with this fingerprint, or -1. */
  find(lo: number, hi: number): number {
    let s = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const i = this.slots[s]!;
      if (i === -1) return -1;
      if (this.d.hashLo[i] === lo && this.d.hashHi[i] === hi) return i;
      s = (s + 1) & this.mask;
    }
  }
}
