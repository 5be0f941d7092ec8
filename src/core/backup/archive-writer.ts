import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';
import { writeAll } from '../fs/write-all.js';
import { describeWriteFailure } from '../fs/write-failure.js';
import {
  ARCHIVE_END_MAGIC, ARCHIVE_FORMAT_VERSION, ARCHIVE_MAGIC, FLAG_COMPRESSED, FLAG_ENCRYPTED,
  FRAME_HEADER_BYTES, FRAME_RAW_TARGET, type ArchiveFooter, type ArchiveHeader,
} from './archive-format.js';
import type { FrameCipher } from './archive-crypto.js';
import { WrittenFrameCheck } from './written-frame-check.js';
import { compressFrame, FRAME_COMPRESSION } from './frame-codec.js';

/**
 * Frames being compressed, written or checked at once: compression runs on the libuv pool, so this
 * overlaps with Redis I/O. Bounds memory: each holds about two frames' worth of bytes.
 */
const MAX_FRAMES_IN_FLIGHT = 3;
/**
 * Pages are encoded straight into a frame buffer of this size, reused once its frame is written
 * and checked: no per-page buffer, no join per frame, and far fewer large buffers for the GC to
 * reclaim (they are most of the client's peak RSS).
 */
const FRAME_BUFFER_BYTES = 2 * FRAME_RAW_TARGET;

export interface ArchiveWriteResult {
  file: string;
  bytes: number;
  /** SHA-256 of the whole file, as written (hex). */
  sha256: string;
  records: number;
  frames: number;
  rawBytes: number;
  /** CRC-32 of the whole file, as written. */
  crc32: number;
}

/**
 * Streams records into an archive under a temporary name in the target directory; `finish()`
 * writes the footer, fsyncs and renames to the final name. `abort()` (also run on Ctrl-C /
 * SIGTERM through onCancel) removes the temporary file, so the final name never holds a partial
 * backup. A write error (e.g. ENOSPC) aborts the same way.
 *
 * Every frame is read back from the temporary file as soon as it is written and checked like
 * `backup verify` would (WrittenFrameCheck), while later frames are still being dumped; a frame
 * that does not check out aborts the backup (INTEGRITY). finish() renames only a file whose every
 * frame and totals checked out.
 */
export class ArchiveWriter {
  /** Every byte written: digested (a copy) for the trailer, then on to the file's own SHA-256 for the manifest. */
  private readonly hash: Hash = createHash('sha256');
  /** CRC-32 of every byte written, for the cheap read-back of the finished file (archive-readback.ts). */
  private crc = 0;
  private offset = 0;
  /** The frame being filled, and how much of it is. */
  private frameBuf: Buffer | undefined;
  private frameUsed = 0;
  private readonly framePool: Buffer[] = [];
  private pendingRecords = 0;
  private frameIndex = 0;
  /** Records already handed to a frame. */
  private framedRecords = 0;
  private records = 0;
  private rawBytes = 0;
  /** Serialises writes in frame order while compression of later frames runs ahead. */
  private writeChain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  /** Woken when a frame in flight is done, so append() can go on. */
  private slotWaiters: Array<() => void> = [];
  private readonly checks: Array<Promise<void>> = [];
  private readonly check: WrittenFrameCheck;
  private failure: unknown;
  private closed = false;
  private readonly removeCancelHandler: () => void;

  private constructor(
    readonly file: string,
    readonly tempFile: string,
    private readonly handle: FileHandle,
    private readonly cipher: FrameCipher | undefined,
  ) {
    this.removeCancelHandler = onCancel(() => this.abort());
    this.check = new WrittenFrameCheck(handle, cipher);
  }

  static async create(file: string, header: Omit<ArchiveHeader, 'format' | 'compression' | 'encryption'>, cipher?: FrameCipher): Promise<ArchiveWriter> {
    const tempFile = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    // 0600: a backup holds every value in the database, sessions and tokens included.
    // Read-write ('+'): each frame is read back as soon as it is written (WrittenFrameCheck).
    const handle = await open(tempFile, 'wx+', 0o600);
    const w = new ArchiveWriter(file, tempFile, handle, cipher);
    const full: ArchiveHeader = {
      format: ARCHIVE_FORMAT_VERSION,
      ...header,
      compression: FRAME_COMPRESSION,
      ...(cipher ? { encryption: cipher.info } : {}),
    };
    const json = Buffer.from(JSON.stringify(full), 'utf8');
    const pre = Buffer.alloc(16);
    ARCHIVE_MAGIC.copy(pre, 0);
    pre.writeUInt16BE(ARCHIVE_FORMAT_VERSION, 8);
    pre.writeUInt16BE(FLAG_COMPRESSED | (cipher ? FLAG_ENCRYPTED : 0), 10);
    pre.writeUInt32BE(json.length, 12);
    cipher?.bindHeader(Buffer.concat([pre, json]));
    w.enqueueWrite(Promise.resolve([pre, json]));
    return w;
  }

  /** Add already-encoded records (see record-codec.ts). Resolves when there is room for more. */
  append(records: Buffer, count: number): Promise<void> {
    return this.appendWith(records.length, count, (out, offset) => void records.copy(out, offset));
  }

  /** Add `count` records of `bytes` encoded bytes, which `encodeInto` writes into the frame at `offset`. */
  async appendWith(bytes: number, count: number, encodeInto: (out: Buffer, offset: number) => void): Promise<void> {
    this.throwIfFailed();
    if (count === 0) return;
    if (this.frameBuf && this.frameUsed + bytes > this.frameBuf.length) this.flushFrame();
    if (!this.frameBuf) {
      this.frameBuf = bytes <= FRAME_BUFFER_BYTES ? (this.framePool.pop() ?? Buffer.allocUnsafe(FRAME_BUFFER_BYTES)) : Buffer.allocUnsafe(bytes);
      this.frameUsed = 0;
    }
    encodeInto(this.frameBuf, this.frameUsed);
    this.frameUsed += bytes;
    this.pendingRecords += count;
    this.records += count;
    this.rawBytes += bytes;
    if (this.frameUsed >= FRAME_RAW_TARGET) this.flushFrame();
    while (this.inFlight >= MAX_FRAMES_IN_FLIGHT && !this.failure) await new Promise<void>((r) => this.slotWaiters.push(r));
    this.throwIfFailed();
  }

  private flushFrame(): void {
    if (this.pendingRecords === 0 || !this.frameBuf) return;
    const buffer = this.frameBuf;
    const raw = buffer.subarray(0, this.frameUsed);
    const count = this.pendingRecords;
    const index = this.frameIndex++;
    const firstRecord = this.framedRecords;
    this.framedRecords += count;
    this.frameBuf = undefined;
    this.frameUsed = 0;
    this.pendingRecords = 0;
    this.inFlight++;
    const framed = compressFrame(raw).then((compressed) => {
      const stored = this.cipher ? this.cipher.encrypt(compressed, index, false) : compressed;
      const head = Buffer.alloc(FRAME_HEADER_BYTES);
      head.writeUInt32BE(stored.length, 0);
      head.writeUInt32BE(raw.length, 4);
      head.writeUInt32BE(count, 8);
      const crc = crc32(stored);
      head.writeUInt32BE(crc, 12);
      return { parts: [head, stored], storedLength: stored.length, crc };
    });
    this.enqueueWrite(
      framed.then((f) => f.parts),
      async (offset) => {
        const f = await framed;
        await this.check.check({ index, offset, firstRecord, recordCount: count, storedLength: f.storedLength, crc: f.crc, raw });
        // Compressed, written and checked: nothing reads the frame buffer any more.
        if (buffer.length === FRAME_BUFFER_BYTES) this.framePool.push(buffer);
      },
      () => {
        this.inFlight--;
        for (const wake of this.slotWaiters.splice(0)) wake();
      },
    );
  }

  /**
   * Write `parts` after everything queued before; then `afterWrite` (given the offset they were
   * written at) runs alongside later writes; `done` when both are over, failed or not.
   */
  private enqueueWrite(parts: Promise<Buffer[]>, afterWrite?: (offset: number) => Promise<void>, done?: () => void): void {
    parts.catch(() => undefined); // handled through the chain below
    this.writeChain = this.writeChain.then(async () => {
      let after: Promise<void> | undefined;
      try {
        if (this.failure) return;
        const bufs = await parts;
        const start = this.offset;
        for (const b of bufs) {
          this.hash.update(b);
          this.crc = crc32(b, this.crc);
          this.offset += b.length;
        }
        await writeAll(this.handle, bufs);
        if (afterWrite) {
          after = afterWrite(start).catch((err) => {
            this.failure ??= err;
          });
        }
      } catch (err) {
        this.failure ??= err;
      } finally {
        if (after) this.checks.push(after.finally(() => done?.()));
        else done?.();
      }
    });
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.writeError(this.failure);
  }

  private writeError(err: unknown): GridctlError {
    if (err instanceof GridctlError) return err;
    const what = describeWriteFailure(err);
    return new GridctlError('OPERATION_FAILED', `writing ${this.file} failed: ${what}; the partial file was removed, nothing was left under the final name`, { cause: err });
  }

  /** Write the footer and the checksum, fsync, and rename to the final name. */
  async finish(countsByType: ArchiveFooter['countsByType']): Promise<ArchiveWriteResult> {
    try {
      this.flushFrame();
      const footer: ArchiveFooter = { records: this.records, frames: this.frameIndex, rawBytes: this.rawBytes, countsByType, endedAt: new Date().toISOString() };
      const plain = Buffer.from(JSON.stringify(footer), 'utf8');
      const stored = this.cipher ? this.cipher.encrypt(plain, this.frameIndex, true) : plain;
      const len = Buffer.alloc(4);
      len.writeUInt32BE(stored.length);
      this.enqueueWrite(Promise.resolve([Buffer.alloc(FRAME_HEADER_BYTES), len, stored]));
      await this.writeChain;
      await Promise.all(this.checks);
      this.throwIfFailed();
      // Every frame was read back and checked; now their totals against the footer.
      this.check.checkTotals(this.records, this.frameIndex, countsByType);
      const digest = this.hash.copy().digest();
      await writeAll(this.handle, [digest, ARCHIVE_END_MAGIC]);
      this.hash.update(digest).update(ARCHIVE_END_MAGIC);
      this.crc = crc32(ARCHIVE_END_MAGIC, crc32(digest, this.crc));
      this.offset += digest.length + ARCHIVE_END_MAGIC.length;
      await this.handle.sync();
      await this.handle.close();
      this.closed = true;
      await rename(this.tempFile, this.file);
      await syncDir(path.dirname(this.file));
      this.removeCancelHandler();
      return {
        file: this.file,
        bytes: this.offset,
        sha256: this.hash.digest('hex'),
        records: this.records,
        frames: this.frameIndex,
        rawBytes: this.rawBytes,
        crc32: this.crc,
      };
    } catch (err) {
      await this.abort();
      throw this.writeError(err);
    }
  }

  /** Remove the temporary file; safe to call more than once. */
  async abort(): Promise<void> {
    this.failure ??= new GridctlError('CANCELLED', 'backup cancelled');
    this.removeCancelHandler();
    if (!this.closed) {
      this.closed = true;
      await this.writeChain.catch(() => undefined);
      await Promise.all(this.checks);
      await this.handle.close().catch(() => undefined);
    }
    await unlink(this.tempFile).catch(() => undefined);
  }
}

/** fsync the directory so the rename itself survives a crash. */
async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r').catch(() => undefined);
  if (!h) return;
  await h.sync().catch(() => undefined);
  await h.close();
}
