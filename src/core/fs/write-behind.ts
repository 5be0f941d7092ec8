/**
 * Writes that run behind the reader: pushed buffers are gathered until at least `gatherBytes`
 * wait, then written as one batch, after the batches before it, in order, while the caller goes on
 * reading; push() waits for the oldest batch only when more than `limitBytes` are waiting. flush()
 * writes what is still gathered. A failed write fails the next push() and flush(), and nothing
 * after it is written. The receive side of an RDB transfer then never waits for the disk or for
 * redis-check-rdb unless they fall that far behind (the socket, not this process, sets the pace);
 * and the ~16 KB pieces Redis sends go out ~64 at a time (1 MiB batches in rdb-fetch.ts), not one
 * write each: a thread-pool round trip per piece, to the file and to the checker, cost more CPU
 * than the whole transfer's hashing, on a host where Redis' forked child needs a core of its own.
 */
export class WriteBehind {
  private readonly inFlight: Array<{ written: Promise<void>; bytes: number }> = [];
  private last: Promise<void> = Promise.resolve();
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private inFlightBytes = 0;
  private failure: unknown;

  constructor(
    private readonly write: (batch: Buffer[]) => Promise<void>,
    private readonly limitBytes: number,
    private readonly gatherBytes = 0,
  ) {}

  async push(bufs: Buffer[]): Promise<void> {
    this.throwIfFailed();
    for (const b of bufs) {
      this.gathered.push(b);
      this.gatheredBytes += b.length;
    }
    if (this.gatheredBytes >= this.gatherBytes) this.sendGathered();
    while (this.inFlightBytes > this.limitBytes) {
      const oldest = this.inFlight.shift()!;
      await oldest.written;
      this.inFlightBytes -= oldest.bytes;
    }
    this.throwIfFailed();
  }

  /** Everything pushed is written (or the first failure is thrown). */
  async flush(): Promise<void> {
    this.sendGathered();
    await this.last;
    this.inFlight.length = 0;
    this.inFlightBytes = 0;
    this.throwIfFailed();
  }

  private sendGathered(): void {
    if (!this.gathered.length) return;
    const batch = this.gathered;
    const bytes = this.gatheredBytes;
    this.gathered = [];
    this.gatheredBytes = 0;
    const written = this.last.then(() => (this.failure ? undefined : this.write(batch)));
    this.last = written.catch((err: unknown) => {
      this.failure ??= err;
    });
    this.inFlight.push({ written: this.last, bytes });
    this.inFlightBytes += bytes;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
