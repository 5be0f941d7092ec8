/**
 * jemalloc's usable size for a request (what zmalloc_size and so MEMORY USAGE report): four
 * classes per doubling (80, 96, 112, 128, 160, 192, ...), and below that multiples of the
 * quantum. Redis' and Valkey's bundled jemalloc is built with an 8-byte quantum (deps/Makefile
 * --with-lg-quantum=3: 8, 16, 24, ... 64); distribution packages that link the system jemalloc
 * (Debian's redis-server) have the default 16-byte one (8, 16, 32, 48, 64): they differ only
 * below 64 bytes, which is where most keys' allocations are.
 */
export type Quantum = 8 | 16;

export class SizeClasses {
  /** Usable sizes for requests up to 4096 bytes, looked up (the hot path). */
  private readonly small = new Uint32Array(4097);

  constructor(readonly quantum: Quantum) {
    for (let n = 0; n <= 4096; n++) this.small[n] = computeClass(n, quantum);
  }

  size(n: number): number {
    return n <= 4096 ? this.small[n]! : computeClass(n, this.quantum);
  }
}

function computeClass(n: number, quantum: Quantum): number {
  if (n <= 8) return 8;
  if (n <= 64) return Math.ceil(n / quantum) * quantum;
  const group = 2 ** Math.floor(Math.log2(n - 1));
  const step = group / 4;
  return Math.ceil(n / step) * step;
}
