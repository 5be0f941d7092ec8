/** Payload bytes handed on at once (to the hash, the file and redis-check-rdb). */
export const RDB_BATCH_BYTES = 1 << 20;
const EOF_MARK_BYTES = 40;
/** Reply lines before the payload are short; a longer one is not Redis speaking. */
const MAX_LINE_BYTES = 64 << 10;

export type RdbTransferKind = 'eof-marker' | 'sized';

/**
 * Where the payload goes: called with each full batch and the last one, in order. Returns false
 * to stop reading (the writes behind fell too far behind) until the caller resumes the socket.
 */
export type RdbPayloadSink = (payload: Buffer) => boolean;

/**
 * The receiving end of an RDB transfer, fed the connection's bytes as they are read: the replies
 * before SYNC as lines, then SYNC's reply, then the payload in 1 MiB batches, each handed to the
 * sink once, in order. Over plain TCP the socket reads straight into the batch being filled
 * (net.Socket `onread` with `space()`): no buffer per read, no stream events, no copy, since the
 * transfer arrives in many small reads and every cycle spent on them is taken from Redis' forked
 * child on a small host (bench/README.md). A TLS socket delivers 'data' chunks, copied in by `push()`.
 *
 * The payload is either sized (`$<length>`: the master saved an RDB file first) or diskless
 * (`$EOF:<40-byte mark>`, ended by the same 40 bytes). The last 40 bytes received always stay in
 * the batch being filled (they are carried into the next one), so the mark is found after any read
 * however the bytes were split, and never reaches the sink.
 */
export class RdbReceiver {
  private batch: Buffer = Buffer.allocUnsafe(RDB_BATCH_BYTES);
  /** Batches handed back once written (recycle), filled again instead of allocating new ones. */
  private readonly spare: Buffer[] = [];
  /** Payload bytes in `batch`; in line mode 0 (read bytes are turned into text at once). */
  private filled = 0;
  private mode: 'lines' | RdbTransferKind | 'done' = 'lines';
  /** Text received in line mode and not yet taken as lines (latin1: one char per byte). */
  private text = '';
  private mark: Buffer | undefined;
  /** Sized transfer: payload bytes still to come. */
  private left = 0;
  private received = 0;
  private lineWaiter: { resolve(line: string): void; reject(err: Error): void } | undefined;
  private expectingPayload: { resolve(kind: RdbTransferKind): void; reject(err: Error): void } | undefined;
  private failure: Error | undefined;
  private finish!: { resolve(): void; reject(err: Error): void };
  /** Settles when the whole payload went to the sink, or with the transfer's failure. */
  readonly finished: Promise<void>;

  constructor(private readonly sink: RdbPayloadSink) {
    this.finished = new Promise<void>((resolve, reject) => (this.finish = { resolve, reject }));
    this.finished.catch(() => undefined); // observed by whoever awaits it; never unhandled
  }

  /** Payload bytes received so far (the 40-byte mark not counted once found). */
  get payloadBytes(): number {
    return this.received;
  }

  /** Where the next read should put its bytes (the `onread.buffer` generator). */
  space(): Buffer {
    return this.batch.subarray(this.filled);
  }

  /** `n` bytes were read into `space()`. Returns false to stop reading (see the sink). */
  readInto(n: number): boolean {
    if (this.mode === 'lines') return this.takeLines(this.filled, n);
    if (this.mode === 'done') return false;
    return this.takePayload(n);
  }

  /** A chunk from a 'data' event (TLS): copied into the batch, as if read there. */
  push(chunk: Buffer): boolean {
    let keepReading = true;
    for (let o = 0; o < chunk.length && this.mode !== 'done'; ) {
      const space = this.space();
      const n = chunk.copy(space, 0, o, o + space.length);
      o += n;
      keepReading = this.readInto(n) && keepReading;
    }
    return keepReading;
  }

  /**
   * A payload the sink was given is written and its memory may be filled again: without this every
   * MiB is a new allocation, and the garbage between collections raises the peak RSS. Only whole batches come back (the last, partial one is simply dropped).
   */
  recycle(payload: Buffer): void {
    const whole = payload.buffer.byteLength === RDB_BATCH_BYTES && payload.byteOffset === 0;
    if (whole && this.mode !== 'done') this.spare.push(Buffer.from(payload.buffer, 0, RDB_BATCH_BYTES));
  }

  /** The next reply line (without CRLF), for the replies before SYNC. */
  line(): Promise<string> {
    const l = this.nextLine();
    if (l !== undefined) return Promise.resolve(l);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.lineWaiter = { resolve, reject }));
  }

  /**
   * Call just before sending SYNC: its reply line switches the receiver to the payload at once
   * (bytes after it in the same read are payload). Resolves with the kind of transfer; an error
   * reply rejects with `replyError: true`.
   */
  expectPayload(): Promise<RdbTransferKind> {
    if (this.failure) return Promise.reject(this.failure); // the connection ended before SYNC went out
    const p = new Promise<RdbTransferKind>((resolve, reject) => (this.expectingPayload = { resolve, reject }));
    if (this.text) this.takeLines(0, 0);
    return p;
  }

  /** The connection ended (closed, or an error): fails whatever waits, unless the payload was complete. */
  end(err?: Error): void {
    if (this.mode === 'done') return;
    const why =
      err ??
      new Error(
        this.mode === 'sized'
          ? `connection closed with ${this.left} RDB bytes still to come`
          : this.mode === 'eof-marker'
            ? 'connection closed before the end-of-transfer marker'
            : 'connection closed by the server while waiting for a reply',
      );
    if (!err) Object.assign(why, { code: 'ECONNRESET' });
    this.fail(why);
  }

  /** Stop: the sink failed, or the caller gave up. */
  fail(err: Error): void {
    if (this.mode === 'done' && !this.failure) return;
    this.failure ??= err;
    this.mode = 'done';
    this.lineWaiter?.reject(this.failure);
    this.expectingPayload?.reject(this.failure);
    this.lineWaiter = this.expectingPayload = undefined;
    this.finish.reject(this.failure);
  }

  private nextLine(): string | undefined {
    let start = 0;
    while (this.text.charCodeAt(start) === 0x0a) start++; // keepalives while the master prepares the RDB
    const cr = this.text.indexOf('\r\n', start);
    if (cr < 0) {
      this.text = this.text.slice(start);
      return undefined;
    }
    const l = this.text.slice(start, cr);
    this.text = this.text.slice(cr + 2);
    return l;
  }

  /** Line mode: `n` bytes at `batch[at]` are reply text (the batch is only scratch space here). */
  private takeLines(at: number, n: number): boolean {
    if (n) this.text += this.batch.toString('latin1', at, at + n);
    for (;;) {
      if (this.mode !== 'lines') return this.mode !== 'done';
      if (!this.lineWaiter && !this.expectingPayload) break;
      const l = this.nextLine();
      if (l === undefined) break;
      if (this.lineWaiter) {
        const w = this.lineWaiter;
        this.lineWaiter = undefined;
        w.resolve(l);
      } else {
        this.startPayload(l);
      }
    }
    if (this.text.length <= MAX_LINE_BYTES) return true;
    this.fail(new Error(`unexpected reply: ${JSON.stringify(this.text.slice(0, 60))}`));
    return false;
  }

  private startPayload(header: string): void {
    const w = this.expectingPayload!;
    this.expectingPayload = undefined;
    const refuse = (err: Error) => {
      w.reject(err);
      this.fail(err);
    };
    if (header.startsWith('-')) {
      refuse(Object.assign(new Error(header.slice(1)), { replyError: true }));
      return;
    }
    if (header.startsWith('$EOF:') && header.length === 5 + EOF_MARK_BYTES) {
      this.mode = 'eof-marker';
      this.mark = Buffer.from(header.slice(5), 'latin1');
    } else if (/^\$\d+$/.test(header)) {
      this.mode = 'sized';
      this.left = Number(header.slice(1));
    } else {
      refuse(new Error(`unexpected reply to SYNC: ${header.slice(0, 60)}`));
      return;
    }
    w.resolve(this.mode);
    // What arrived after the header is the start of the payload.
    const rest = Buffer.from(this.text, 'latin1');
    this.text = '';
    if (this.mode === 'sized' && this.left === 0) this.complete();
    else if (rest.length) this.push(rest);
  }

  private takePayload(n: number): boolean {
    if (this.mode === 'sized') {
      const take = Math.min(n, this.left); // the server sends nothing after the RDB; ignore it if it did
      this.filled += take;
      this.received += take;
      this.left -= take;
      if (this.left === 0) {
        this.complete();
        return false;
      }
      return this.filled === this.batch.length ? this.handOn(this.batch, 0) : true;
    }
    this.filled += n;
    this.received += n;
    if (this.filled >= EOF_MARK_BYTES && this.batch.subarray(this.filled - EOF_MARK_BYTES, this.filled).equals(this.mark!)) {
      this.received -= EOF_MARK_BYTES;
      this.filled -= EOF_MARK_BYTES;
      this.complete();
      return false;
    }
    return this.filled === this.batch.length ? this.handOn(this.batch, EOF_MARK_BYTES) : true;
  }

  /** A full batch goes to the sink, less its last `carry` bytes, which start the next batch. */
  private handOn(full: Buffer, carry: number): boolean {
    this.batch = this.spare.pop() ?? Buffer.allocUnsafe(RDB_BATCH_BYTES);
    if (carry) full.copy(this.batch, 0, full.length - carry);
    this.filled = carry;
    return this.sink(full.subarray(0, full.length - carry));
  }

  private complete(): void {
    const last = this.batch.subarray(0, this.filled);
    this.mode = 'done';
    this.filled = 0;
    if (last.length) this.sink(last);
    this.finish.resolve();
  }
}
