/**
 * The CRC-64 inner loop as a tiny WebAssembly function, for large inputs (a whole RDB file): with
 * native 64-bit integers it runs several times faster than the JavaScript loop of crc64.ts, which
 * keeps the state in two 32-bit halves. The module is assembled here, byte by byte, from the
 * instructions below (no toolchain, nothing downloaded): memory holds the 8 x 256 lookup tables
 * (16 KiB) and a 1 MiB window the caller copies input into.
 *
 *   c(crc: i64, p: i32, end: i32) -> i64
 *     while end - p >= 8: crc ^= load64(p); crc = T7[b0] ^ T6[b1] ^ ... ^ T0[b7]; p += 8
 *     while p < end:      crc = T0[(crc ^ load8(p)) & 0xff] ^ (crc >> 8); p += 1
 */
const WASM_WINDOW_OFFSET = 65536;
const WASM_WINDOW_BYTES = 1 << 20;

const I64 = 0x7e;
const I32 = 0x7f;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, localGet: 0x20, localSet: 0x21,
  i32Const: 0x41, i64Const: 0x42, i64Load: 0x29, i64Load8U: 0x31, i32Sub: 0x6b, i32Add: 0x6a,
  i32LtU: 0x49, i32GeU: 0x4f, i32Shl: 0x74, i32WrapI64: 0xa7, i64And: 0x83, i64Xor: 0x85, i64ShrU: 0x88,
} as const;
const CRC = 0;
const P = 1;
const END = 2;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 for the small non-negative constants used here. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** The address of table t's entry for byte k of the crc: ((crc >> 8k) & 0xff) << 3, loaded at offset t*2048. */
function tableLookup(k: number, table: number): number[] {
  return [op.localGet, CRC, op.i64Const, ...sleb(8 * k), op.i64ShrU, op.i64Const, ...sleb(0xff), op.i64And, op.i32WrapI64, op.i32Const, 3, op.i32Shl, op.i64Load, 3, ...uleb(table * 2048)];
}

function body(): number[] {
  const slice8: number[] = [op.block, 0x40, op.loop, 0x40];
  slice8.push(op.localGet, END, op.localGet, P, op.i32Sub, op.i32Const, 8, op.i32LtU, op.brIf, 1);
  slice8.push(op.localGet, CRC, op.localGet, P, op.i64Load, 0, 0, op.i64Xor, op.localSet, CRC);
  for (let k = 0; k < 8; k++) {
    slice8.push(...tableLookup(k, 7 - k));
    if (k > 0) slice8.push(op.i64Xor);
  }
  slice8.push(op.localSet, CRC, op.localGet, P, op.i32Const, 8, op.i32Add, op.localSet, P, op.br, 0, op.end, op.end);
  const tail: number[] = [op.block, 0x40, op.loop, 0x40];
  tail.push(op.localGet, P, op.localGet, END, op.i32GeU, op.brIf, 1);
  tail.push(op.localGet, CRC, op.localGet, P, op.i64Load8U, 0, 0, op.i64Xor, op.i64Const, ...sleb(0xff), op.i64And, op.i32WrapI64, op.i32Const, 3, op.i32Shl, op.i64Load, 3, 0);
  tail.push(op.localGet, CRC, op.i64Const, 8, op.i64ShrU, op.i64Xor, op.localSet, CRC);
  tail.push(op.localGet, P, op.i32Const, 1, op.i32Add, op.localSet, P, op.br, 0, op.end, op.end);
  return [0 /* no locals besides the parameters */, ...slice8, ...tail, op.localGet, CRC, op.end];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const code = body();
  const pages = (WASM_WINDOW_OFFSET + WASM_WINDOW_BYTES) / 65536;
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 3, I64, I32, I32, 1, I64]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(pages)]),
    ...section(7, [2, 1, 0x63, 0x00, 0, 1, 0x6d, 0x02, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

/** The part of the WebAssembly API used here (the compiler's lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

export interface WasmCrc {
  /** Fold buf[start, end) into the state (lo, hi); returns the new state. */
  update(lo: number, hi: number, buf: Uint8Array, start: number, end: number): [number, number];
}

/** Instantiate with the lookup tables of crc64.ts (lo and hi halves, 8 x 256 each). */
export function createWasmCrc(lo: Uint32Array, hi: Uint32Array): WasmCrc | undefined {
  try {
    const wa = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new wa.Instance(new wa.Module(moduleBytes()));
    const memory = instance.exports.m as { buffer: ArrayBuffer };
    const fold = instance.exports.c as (crc: bigint, p: number, end: number) => bigint;
    const words = new Uint32Array(memory.buffer, 0, 2 * 8 * 256);
    for (let i = 0; i < 8 * 256; i++) {
      words[2 * i] = lo[i]!;
      words[2 * i + 1] = hi[i]!;
    }
    const bytes = new Uint8Array(memory.buffer);
    return {
      update(l, h, buf, start, end) {
        let crc = (BigInt(h) << 32n) | BigInt(l);
        while (start < end) {
          const n = Math.min(WASM_WINDOW_BYTES, end - start);
          bytes.set(buf.subarray(start, start + n), WASM_WINDOW_OFFSET);
          crc = fold(crc, WASM_WINDOW_OFFSET, WASM_WINDOW_OFFSET + n);
          start += n;
        }
        return [Number(crc & 0xffffffffn), Number((crc >> 32n) & 0xffffffffn)];
      },
    };
  } catch {
    return undefined; // no WebAssembly: the JavaScript loop does it all
  }
}
