import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { crc32, deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';
import {
  ARCHIVE_END_MAGIC, ARCHIVE_FORMAT_VERSION, ARCHIVE_MAGIC, COMPRESSION_LEVEL, FLAG_COMPRESSED, FLAG_ENCRYPTED,
  FRAME_HEADER_BYTES, FRAME_RAW_TARGET, type ArchiveFooter, type ArchiveHeader,
} from './archive-format.js';
import type { FrameCipher } from './archive-crypto.js';

const deflateRawAsync = promisify(deflateRaw);
/** Frames being compressed at once: zlib runs on the libuv pool, so this overlaps with Redis I/O. */
const MAX_FRAMES_IN_FLIGHT = 3;

export interface ArchiveWriteResult {
  file: string;
  bytes: number;
  /** SHA-256 of the whole file, as written (hex). */
  sha256: string;
  records: number;
  frames: number;
  rawBytes: number;
}

/**
 * Streams records into an archive under a temporary name in the target directory; `finish()`
 * writes the footer, fsyncs and renames to the final name. `abort()` (also run on Ctrl-C /
 * SIGTERM through onCancel) removes the temporary file, so the final name never holds a partial
 * backup. A write error (e.g. ENOSPC) aborts the same way.
 */
export class ArchiveWriter {
  /** Trailer checksum: every byte before it. */
  private readonly hash: Hash = createHash('sha256');
  /** The file's own SHA-256 (what `sha256sum` prints), for the manifest. */
  private readonly fileHash: Hash = createHash('sha256');
  private offset = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingRecords = 0;
  private frameIndex = 0;
  private records = 0;
  private rawBytes = 0;
  /** Serialises writes in frame order while compression of later frames runs ahead. */
  private writeChain: Promise<void> = Promise.resolve();
  private inFlight = 0;
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
  }

  static async create(file: string, header: Omit<ArchiveHeader, 'format' | 'compression' | 'encryption'>, cipher?: FrameCipher): Promise<ArchiveWriter> {
    const tempFile = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    // 0600: a backup holds every value in the database, sessions and tokens included.
    const handle = await open(tempFile, 'wx', 0o600);
    const w = new ArchiveWriter(file, tempFile, handle, cipher);
    const full: ArchiveHeader = {
      format: ARCHIVE_FORMAT_VERSION,
      ...header,
      compression: { algorithm: 'deflate-raw', level: COMPRESSION_LEVEL },
      ...(cipher ? { encryption: cipher.info } : {}),
    };
    const json = Buffer.from(JSON.stringify(full), 'utf8');
    const pre = Buffer.alloc(16);
    ARCHIVE_MAGIC.copy(pre, 0);
    pre.writeUInt16BE(ARCHIVE_FORMAT_VERSION, 8);
    pre.writeUInt16BE(FLAG_COMPRESSED | (cipher ? FLAG_ENCRYPTED : 0), 10);
    pre.writeUInt32BE(json.length, 12);
    w.enqueueWrite(Promise.resolve([pre, json]));
    return w;
  }

  /** Add already-encoded records (see record-codec.ts). Resolves when there is room for more. */
  async append(records: Buffer, count: number): Promise<void> {
    this.throwIfFailed();
    if (count === 0) return;
    this.pending.push(records);
    this.pendingBytes += records.length;
    this.pendingRecords += count;
    this.records += count;
    this.rawBytes += records.length;
    if (this.pendingBytes >= FRAME_RAW_TARGET) this.flushFrame();
    while (this.inFlight >= MAX_FRAMES_IN_FLIGHT && !this.failure) await this.writeChain.catch(() => undefined);
    this.throwIfFailed();
  }

  private flushFrame(): void {
    if (this.pendingRecords === 0) return;
    const raw = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const count = this.pendingRecords;
    const index = this.frameIndex++;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingRecords = 0;
    this.inFlight++;
    const framed = deflateRawAsync(raw, { level: COMPRESSION_LEVEL }).then((compressed) => {
      const stored = this.cipher ? this.cipher.encrypt(compressed, index, false) : compressed;
      const head = Buffer.alloc(FRAME_HEADER_BYTES);
      head.writeUInt32BE(stored.length, 0);
      head.writeUInt32BE(raw.length, 4);
      head.writeUInt32BE(count, 8);
      head.writeUInt32BE(crc32(stored), 12);
      return [head, stored];
    });
    this.enqueueWrite(framed, () => this.inFlight--);
  }

  private enqueueWrite(parts: Promise<Buffer[]>, done?: () => void): void {
    parts.catch(() => undefined); // handled through the chain below
    this.writeChain = this.writeChain.then(async () => {
      try {
        if (this.failure) return;
        const bufs = await parts;
        for (const b of bufs) {
          this.hash.update(b);
          this.fileHash.update(b);
          this.offset += b.length;
        }
        await this.handle.writev(bufs);
      } catch (err) {
        this.failure ??= err;
      } finally {
        done?.();
      }
    });
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.writeError(this.failure);
  }

  private writeError(err: unknown): GridctlError {
    if (err instanceof GridctlError) return err;
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is exceeded' : (err as Error).message;
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
      this.throwIfFailed();
      const digest = this.hash.digest();
      await this.handle.writev([digest, ARCHIVE_END_MAGIC]);
      this.fileHash.update(digest).update(ARCHIVE_END_MAGIC);
      this.offset += digest.length + ARCHIVE_END_MAGIC.length;
      await this.handle.sync();
      await this.handle.close();
      this.closed = true;
      await rename(this.tempFile, this.file);
      await syncDir(path.dirname(this.file));
      this.removeCancelHandler();
      return { file: this.file, bytes: this.offset, sha256: this.fileHash.digest('hex'), records: this.records, frames: this.frameIndex, rawBytes: this.rawBytes };
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
