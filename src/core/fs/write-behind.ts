/**
 * Writes that run behind the reader: each batch is written after the ones before it, in order,
 * while the caller goes on reading, until more than `limitBytes` are waiting to be written; then
 * push() waits for the oldest. A failed write fails the next push() and flush(), and nothing after
 * it is written. The receive side of an RDB transfer then never waits for the disk or for
 * redis-check-rdb unless they fall that far behind (the socket, not this process, set the pace).
 */
export class WriteBehind {
  private readonly waiting: Array<{ written: Promise<void>; bytes: number }> = [];
  private last: Promise<void> = Promise.resolve();
  private waitingBytes = 0;
  private failure: unknown;

  constructor(
    private readonly write: (batch: Buffer[]) => Promise<void>,
    private readonly limitBytes: number,
  ) {}

  async push(batch: Buffer[]): Promise<void> {
    this.throwIfFailed();
    const bytes = batch.reduce((n, b) => n + b.length, 0);
    const written = this.last.then(() => (this.failure ? undefined : this.write(batch)));
    this.last = written.catch((err: unknown) => {
      this.failure ??= err;
    });
    this.waiting.push({ written: this.last, bytes });
    this.waitingBytes += bytes;
    while (this.waitingBytes > this.limitBytes) {
      const oldest = this.waiting.shift()!;
      await oldest.written;
      this.waitingBytes -= oldest.bytes;
    }
    this.throwIfFailed();
  }

  /** Everything pushed is written (or the first failure is thrown). */
  async flush(): Promise<void> {
    await this.last;
    this.waiting.length = 0;
    this.waitingBytes = 0;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
