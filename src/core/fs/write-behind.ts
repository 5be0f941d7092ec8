/**
 * Writes that run behind the reader: each pushed batch is written after the batches before it, in
 * order, while the caller goes on reading; push() waits for the oldest batch only when more than
 * `limitBytes` are waiting (`backlogged` says so before awaiting). A failed write fails the next
 * push() and flush(), and nothing after it is written. The receive side of an RDB transfer then
 * never waits for the disk or for redis-check-rdb unless they fall that far behind: the socket,
 * not this process, sets the pace. Batches are ~1 MiB (rdb-receiver.ts), not the ~16 KB pieces
 * Redis sends: a thread-pool round trip per piece, to the file and to the checker, cost more CPU
 * than the whole transfer's hashing, on a host where Redis' forked child needs a core of its own.
 */
export class WriteBehind {
  private readonly inFlight: Array<{ written: Promise<void>; bytes: number }> = [];
  private last: Promise<void> = Promise.resolve();
  private inFlightBytes = 0;
  private failure: unknown;

  constructor(
    private readonly write: (batch: Buffer[]) => Promise<void>,
    private readonly limitBytes: number,
  ) {}

  async push(batch: Buffer[]): Promise<void> {
    this.throwIfFailed();
    this.send(batch);
    while (this.inFlightBytes > this.limitBytes) {
      const oldest = this.inFlight.shift()!;
      await oldest.written;
      this.inFlightBytes -= oldest.bytes;
    }
    this.throwIfFailed();
  }

  /** More than the limit is waiting to be written: a push() made now waits for the oldest batches. */
  get backlogged(): boolean {
    return this.inFlightBytes > this.limitBytes;
  }

  /** Everything pushed is written (or the first failure is thrown). */
  async flush(): Promise<void> {
    await this.last;
    this.inFlight.length = 0;
    this.inFlightBytes = 0;
    this.throwIfFailed();
  }

  private send(batch: Buffer[]): void {
    if (!batch.length) return;
    let bytes = 0;
    for (const b of batch) bytes += b.length;
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
