/**
 * LZF decompression, the format Redis compresses RDB strings with (lzf_d.c): a control byte
 * below 32 starts a run of ctrl+1 literal bytes; otherwise its top 3 bits are a length (7 = one
 * more length byte follows) and the low 5 bits plus the next byte a distance back into the output.
 * Returns false when the data is malformed, never reads or writes outside the given ranges.
 */
export function lzfDecompress(src: Uint8Array, start: number, end: number, out: Uint8Array, outLen: number): boolean {
  return lzfInto(src, start, end, out, outLen, false) === outLen;
}

const SCRATCH = Buffer.alloc(64);

/**
 * The first `want` bytes of a compressed string, from as much of its compressed form as is at
 * hand (`end` may stop short of the real end): enough to read a listpack's or ziplist's header
 * without decompressing all of it. Returns the bytes decoded, fewer only if the input ran out;
 * up to 64 bytes they sit in a shared scratch buffer, overwritten by the next call.
 */
export function lzfPrefix(src: Uint8Array, start: number, end: number, want: number): Buffer | undefined {
  // Headers are a few bytes: decode into one scratch buffer (valid until the next call).
  const out = want <= SCRATCH.length ? SCRATCH : Buffer.allocUnsafe(want);
  const n = lzfInto(src, start, end, out, want, true);
  return n < 0 ? undefined : out.subarray(0, n);
}

/** Decode into out[0..cap); `partial`: stop at cap or at the end of input without an error. -1 = malformed. */
function lzfInto(src: Uint8Array, start: number, end: number, out: Uint8Array, cap: number, partial: boolean): number {
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = src[ip++]!;
    if (ctrl < 32) {
      let run = ctrl + 1;
      if (op + run > cap) {
        if (!partial) return -1;
        run = cap - op;
      }
      if (ip + run > end) {
        if (!partial) return -1;
        run = end - ip;
      }
      for (let i = 0; i < run; i++) out[op++] = src[ip++]!;
      if (op >= cap && partial) return op;
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= end) return partial ? op : -1;
      len += src[ip++]!;
    }
    if (ip >= end) return partial ? op : -1;
    let ref = op - ((ctrl & 0x1f) << 8) - 1 - src[ip++]!;
    len += 2;
    if (ref < 0) return -1;
    if (op + len > cap) {
      if (!partial) return -1;
      len = cap - op;
    }
    // Byte by byte: a reference may overlap the bytes it produces (runs of a repeated pattern).
    for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    if (op >= cap && partial) return op;
  }
  return op;
}
