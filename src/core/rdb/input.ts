import type { Crc64 } from './crc64.js';

/**
 * Thrown (never as an Error, so no stack is captured) when a read needs bytes the window does not
 * hold yet. It never leaves the parser: the driver rewinds to the last commit, refills and resumes.
 */
const NEED_MORE: { readonly needMore: true } = Object.freeze({ needMore: true });

export function isNeedMore(err: unknown): boolean {
  return err === NEED_MORE;
}

/** Where bytes come from: `read` fills buf[start, start + length) and returns how many it wrote (0 = end). */
export interface ByteSource {
  read(buf: Buffer, start: number, length: number): Promise<number>;
}

export interface InputOptions {
  /** Bytes read per refill; the window starts at this size. */
  chunkBytes?: number;
  /** The window never grows past this: one unit of parsing (a header, a held string) must fit. */
  maxWindowBytes?: number;
}

const DEFAULT_CHUNK = 4 << 20;
const DEFAULT_MAX_WINDOW = 48 << 20;

/**
 * A bounded window over a stream of bytes, read synchronously by the parser. The parser works in
 * units: it reads, applies what it read, then `commit()`s. A read past the window throws
 * NEED_MORE; the driver calls `refill()` (which rewinds to the last commit, keeps the uncommitted
 * tail, and reads more) and the unit runs again. Large strings are never held: `skip()` past the
 * window records the rest as pending, and `refill()` streams it through the checksum unkept.
 * Every byte is fed to the CRC exactly once, when it is committed and leaves the window.
 */
export class RdbInput {
  buf: Buffer;
  pos = 0;
  end = 0;
  /** Start of the current unit: bytes before it are done with. */
  mark = 0;
  /** Absolute offset of buf[0] in the stream. */
  base = 0;
  /** Bytes past the window still to be skipped (the tail of a large string). */
  pendingSkip = 0;
  /** The source has no more bytes. */
  exhausted: boolean;
  private crcFrom = 0;
  private readonly maxWindow: number;
  private readonly chunk: number;

  constructor(
    private readonly source: ByteSource | undefined,
    readonly crc: Crc64 | undefined,
    initial?: Buffer,
    opts: InputOptions = {},
  ) {
    this.chunk = opts.chunkBytes ?? DEFAULT_CHUNK;
    this.maxWindow = Math.max(opts.maxWindowBytes ?? DEFAULT_MAX_WINDOW, this.chunk);
    if (initial) {
      this.buf = initial;
      this.end = initial.length;
    } else {
      this.buf = Buffer.allocUnsafe(this.chunk);
    }
    this.exhausted = !source;
  }

  /** Absolute offset of the next byte to be read. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Absolute offset of the start of the current unit. */
  get markOffset(): number {
    return this.base + this.mark;
  }

  get available(): number {
    return this.end - this.pos;
  }

  need(n: number): void {
    if (this.end - this.pos < n) throw NEED_MORE;
  }

  u8(): number {
    if (this.pos >= this.end) throw NEED_MORE;
    return this.buf[this.pos++]!;
  }

  u32le(): number {
    if (this.end - this.pos < 4) throw NEED_MORE;
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A signed little-endian 64-bit integer as a number (ms timestamps fit exactly). */
  i64le(): number {
    if (this.end - this.pos < 8) throw NEED_MORE;
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** Move past n bytes; what is not in the window yet is skipped by the next refill, unkept. */
  skip(n: number): void {
    const avail = this.end - this.pos;
    if (n <= avail) {
      this.pos += n;
      return;
    }
    this.pendingSkip += n - avail;
    this.pos = this.end;
  }

  commit(): void {
    this.mark = this.pos;
  }

  /**
   * Rewind to the last commit, drop what is before it (after feeding it to the CRC), perform a
   * pending skip, and read more. Returns false when the source had nothing more to give.
   */
  async refill(): Promise<boolean> {
    if (this.pos !== this.mark && this.pendingSkip) {
      // A unit read a large string and then more without committing: a parser bug, not bad data.
      throw new Error('RDB parser: a large string must end its unit (commit before reading on)');
    }
    this.pos = this.mark;
    this.feedCrc(this.mark);
    if (this.pendingSkip) {
      if (!(await this.skipPending())) return false;
    }
    if (this.exhausted || !this.source) return false;
    // Keep the uncommitted tail at the start of the window, grown if the unit fills it.
    const keep = this.end - this.mark;
    const grown = this.buf.length - keep < this.chunk / 2 ? Math.min(this.maxWindow, Math.max(this.buf.length * 2, keep + this.chunk)) : this.buf.length;
    if (grown > this.buf.length) {
      const bigger = Buffer.allocUnsafe(grown);
      this.buf.copy(bigger, 0, this.mark, this.end);
      this.buf = bigger;
    } else {
      if (keep >= this.buf.length) throw new Error(`RDB parser: one unit needs more than ${this.maxWindow} bytes`);
      if (this.mark > 0) this.buf.copyWithin(0, this.mark, this.end);
    }
    this.base += this.mark;
    this.end = keep;
    this.pos = this.mark = this.crcFrom = 0;
    const n = await this.source.read(this.buf, this.end, this.buf.length - this.end);
    if (n === 0) {
      this.exhausted = true;
      return false;
    }
    this.end += n;
    return true;
  }

  /** Feed bytes up to `upTo` (a window position) to the CRC. */
  feedCrc(upTo: number): void {
    if (this.crc && upTo > this.crcFrom) this.crc.update(this.buf, this.crcFrom, upTo);
    if (upTo > this.crcFrom) this.crcFrom = upTo;
  }

  /** Stream the pending skip through the CRC using the (fully committed) window as scratch. */
  private async skipPending(): Promise<boolean> {
    this.base += this.end;
    this.pos = this.mark = this.end = this.crcFrom = 0;
    while (this.pendingSkip > 0) {
      if (this.exhausted || !this.source) return false;
      const n = await this.source.read(this.buf, 0, Math.min(this.buf.length, this.pendingSkip));
      if (n === 0) {
        this.exhausted = true;
        return false;
      }
      this.crc?.update(this.buf, 0, n);
      this.base += n;
      this.pendingSkip -= n;
    }
    return true;
  }
}
