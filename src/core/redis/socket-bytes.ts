import type { Duplex } from 'node:stream';

/** Stop reading from the socket while this much arrived but was not taken in yet. */
const DEFAULT_HIGH_WATER = 4 << 20;
/** Starting size of the buffer replies are parsed from; it grows for a large value. */
const START_BYTES = 256 << 10;
/** A buffer grown past this for one huge value is given back once that value is consumed. */
const SHRINK_ABOVE_BYTES = 16 << 20;

/** Returned by the try* parsers when the reply has not fully arrived yet. */
export const INCOMPLETE = Number.MIN_SAFE_INTEGER;

/** A `-ERR ...` reply, with the server's message (classifyRedisError reads it like ioredis' ReplyError). */
export class RedisReplyError extends Error {
  readonly replyError = true;
}

/**
 * The bytes a Redis connection receives, for code that parses RESP itself instead of going through
 * ioredis (the pipelined backup, INFO and DBSIZE on a backup source). Unread bytes are
 * `buf[pos, end)`. Arrived chunks wait in a list and are copied into `buf` only when a parser asks
 * for more (more/need): `buf` is reused, with the unread tail moved to its front, so parsing
 * allocates no buffer per chunk, and positions only change inside more/need. The socket is paused
 * while too much waits (backpressure: the network can outrun the parser). Waiting longer than the
 * idle timeout fails with ETIMEDOUT; the timer runs only while someone waits, so a paused reader
 * never times out.
 */
export class SocketBytes {
  buf: Buffer = Buffer.allocUnsafe(START_BYTES);
  pos = 0;
  end = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly socket: Duplex,
    private readonly idleTimeoutMs: number,
    private readonly highWater = DEFAULT_HIGH_WATER,
  ) {
    socket.on('data', (d: Buffer) => {
      this.pending.push(d);
      this.pendingBytes += d.length;
      if (this.pendingBytes >= this.highWater) socket.pause();
      this.notify();
    });
    socket.on('end', () => ((this.ended = true), this.notify()));
    socket.on('close', () => ((this.ended = true), this.notify()));
    socket.on('error', (e) => ((this.error = e), this.notify()));
  }

  get available(): number {
    return this.end - this.pos;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async waitForData(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.wake = resolve;
        timer = setTimeout(() => reject(Object.assign(new Error(`no data from the server for ${this.idleTimeoutMs / 1000}s`), { code: 'ETIMEDOUT' })), this.idleTimeoutMs);
      });
    } finally {
      clearTimeout(timer);
      this.wake = undefined;
    }
  }

  /** Copy the waiting chunks behind the unread bytes (moved to the front of `buf`, which grows if needed). */
  private takeIn(): void {
    const unread = this.end - this.pos;
    const need = unread + this.pendingBytes;
    let target = this.buf;
    if (need > target.length) target = Buffer.allocUnsafe(Math.max(need, target.length * 2));
    else if (target.length > SHRINK_ABOVE_BYTES && need <= START_BYTES) target = Buffer.allocUnsafe(START_BYTES);
    if (unread) this.buf.copy(target, 0, this.pos, this.end);
    let o = unread;
    for (const c of this.takePending()) o += c.copy(target, o);
    this.buf = target;
    this.pos = 0;
    this.end = o;
  }

  /** Take in what arrived (waiting for something if nothing did); false at the end of the stream. */
  async more(): Promise<boolean> {
    if (!(await this.arrived())) return false;
    this.takeIn();
    return true;
  }

  /** Wait until some chunk has arrived and waits to be taken; false at the end of the stream. */
  private async arrived(): Promise<boolean> {
    while (!this.pending.length) {
      if (this.error) throw this.error;
      if (this.ended) return false;
      await this.waitForData();
    }
    return true;
  }

  /** The waiting chunks, handed over; reading resumes if it was paused for them. */
  private takePending(): Buffer[] {
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.socket.isPaused()) this.socket.resume();
    return chunks;
  }

  /** Wait until at least n unread bytes are in `buf`, taken in once (a multi-MB value is not re-copied per chunk). */
  async need(n: number): Promise<void> {
    while (this.available < n) {
      if (this.available + this.pendingBytes >= n) {
        this.takeIn();
        continue;
      }
      if (this.error) throw this.error;
      if (this.ended) throw closedError();
      // A value larger than the high-water mark: keep reading past it.
      if (this.socket.isPaused()) this.socket.resume();
      await this.waitForData();
    }
  }

  /** One reply line without CRLF; leading bare "\n" keepalives (sent while a master prepares an RDB) are skipped. */
  async line(): Promise<string> {
    for (;;) {
      while (this.pos < this.end && this.buf[this.pos] === 0x0a) this.pos++;
      const i = this.buf.indexOf(0x0d, this.pos);
      if (i >= 0 && i + 1 < this.end) {
        const l = this.buf.toString('latin1', this.pos, i);
        this.pos = i + 2;
        return l;
      }
      if (!(await this.more())) throw closedError();
    }
  }

  /** The index of the CR of a complete CRLF at or after p, or -1. */
  private lineEndFrom(p: number): number {
    const e = this.buf.indexOf(0x0d, p);
    return e >= 0 && e + 1 < this.end ? e : -1;
  }

  /**
   * A reply whose header is `<kind><signed decimal>\r\n` at `pos`: the number, consuming the
   * header, or INCOMPLETE (nothing consumed). Another kind of reply throws (an error reply as
   * RedisReplyError). The digits are read in place: no string per reply.
   */
  private tryNumberLine(kind: number, wanted: string): number {
    const b = this.buf;
    const end = this.end;
    let p = this.pos;
    if (p >= end) return INCOMPLETE;
    if (b[p] !== kind) return this.unexpected(b[p], wanted);
    p++;
    let neg = false;
    if (p < end && b[p] === 0x2d) {
      neg = true;
      p++;
    }
    let n = 0;
    for (; p < end; p++) {
      const c = b[p]!;
      if (c === 0x0d) {
        if (p + 1 >= end) return INCOMPLETE;
        this.pos = p + 2;
        return neg ? -n : n;
      }
      n = n * 10 + (c - 0x30);
    }
    return INCOMPLETE;
  }

  /** An integer reply (`:123`): its value, consuming it, or INCOMPLETE. */
  tryInteger(): number {
    return this.tryNumberLine(0x3a, 'an integer');
  }

  /**
   * The header of a bulk string (`$5\r\n`): the length (consuming the header; -1 for a nil), or
   * INCOMPLETE (nothing consumed). The caller then needs length + 2 bytes.
   */
  tryBulkHeader(): number {
    const n = this.tryNumberLine(0x24, 'a bulk string');
    return n < 0 && n !== INCOMPLETE ? -1 : n;
  }

  /** An array header (`*3\r\n`): its length (consuming it; -1 for a nil array), or INCOMPLETE. */
  tryArrayHeader(): number {
    const n = this.tryNumberLine(0x2a, 'an array');
    return n < 0 && n !== INCOMPLETE ? -1 : n;
  }

  /** Throws the error reply at `pos` (consuming it when complete) or a protocol error. */
  private unexpected(kind: number | undefined, wanted: string): never {
    if (kind === 0x2d) {
      const e = this.lineEndFrom(this.pos);
      const message = this.buf.toString('utf8', this.pos + 1, e < 0 ? this.end : e);
      if (e >= 0) this.pos = e + 2;
      throw new RedisReplyError(message);
    }
    throw new Error(`protocol error: expected ${wanted}, got ${JSON.stringify(this.buf.toString('latin1', this.pos, Math.min(this.end, this.pos + 40)))}`);
  }
}

function closedError(): Error {
  return Object.assign(new Error('connection closed by the server while waiting for a reply'), { code: 'ECONNRESET' });
}
