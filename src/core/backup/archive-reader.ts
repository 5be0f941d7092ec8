import { open, type FileHandle } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { GridctlError } from '../errors.js';
import {
  ARCHIVE_END_MAGIC, ARCHIVE_FORMAT_VERSION, HEADER_BOUND_FORMAT, OLDEST_READABLE_FORMAT, ARCHIVE_MAGIC, FLAG_ENCRYPTED, FRAME_HEADER_BYTES, MAX_META_BYTES,
  PREAMBLE_BYTES, SHA256_BYTES, type ArchiveCompression, type ArchiveFooter, type ArchiveHeader,
} from './archive-format.js';
import { openFrameCipher, type FrameCipher } from './archive-crypto.js';
import { decompressFrame } from './frame-codec.js';

const READ_CHUNK = 1 << 20;

export interface ArchiveFrame {
  index: number;
  /** File offset of the frame header. */
  offset: number;
  /** Index of the frame's first record in the whole archive. */
  firstRecord: number;
  recordCount: number;
  /** Length and CRC-32 of the frame's stored (compressed, maybe encrypted) bytes, as in its header. */
  storedLength: number;
  crc: number;
  /** The frame's records, decrypted and decompressed; empty when the reader was opened with decode: false. */
  raw: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * A frame's stored bytes back to its raw records: GCM tag (when encrypted), decompress, raw length.
 * Shared by the reader and by the backup's check of each frame as it is written (frame-check.ts).
 * `where` names the frame and its records in error messages.
 */
export async function decodeFrame(compression: ArchiveCompression, stored: Buffer, rawLen: number, index: number, cipher: FrameCipher | undefined, where: string, offset: number): Promise<Buffer> {
  let compressed = stored;
  if (cipher) {
    try {
      compressed = cipher.decrypt(stored, index, false);
    } catch {
      throw integrity(`${where}: failed authentication (the frame or the archive's header was tampered with, or frames reordered)`, offset, { frame: index });
    }
  }
  let out: Buffer;
  try {
    out = await decompressFrame(compression, compressed, rawLen);
  } catch (err) {
    throw integrity(`${where}: cannot decompress (${(err as Error).message})`, offset, { frame: index });
  }
  if (out.length !== rawLen) throw integrity(`${where}: decompressed to ${out.length} bytes, expected ${rawLen}`, offset, { frame: index });
  return out;
}

/** Sequential reader over a file that hashes every byte it hands out and knows its offset. */
class FileCursor {
  private buf = Buffer.alloc(0);
  private filePos = 0;
  offset = 0;
  readonly hash: Hash = createHash('sha256');
  constructor(private readonly handle: FileHandle) {}

  /** Exactly n bytes, or null at a clean end of file; a short read is reported as truncation. */
  async read(n: number, what: string, hashed = true): Promise<Buffer> {
    while (this.buf.length < n) {
      const want = Math.max(READ_CHUNK, n - this.buf.length);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await this.handle.read(chunk, 0, want, this.filePos);
      if (bytesRead === 0) {
        throw integrity(`file is truncated at byte ${this.offset + this.buf.length}: expected ${what} (${n} bytes) at byte ${this.offset}`, this.offset);
      }
      this.filePos += bytesRead;
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    if (hashed) this.hash.update(out);
    this.offset += n;
    return out;
  }

  async atEnd(): Promise<boolean> {
    if (this.buf.length) return false;
    const probe = Buffer.alloc(1);
    const { bytesRead } = await this.handle.read(probe, 0, 1, this.filePos);
    return bytesRead === 0;
  }
}

export function integrity(message: string, offset?: number, extra: Record<string, unknown> = {}): GridctlError {
  return new GridctlError('INTEGRITY', message, {
    hint: 'the backup file is damaged or not a gridctl backup; use another backup (nothing was written to any server)',
    details: { ...(offset !== undefined ? { offset } : {}), ...extra },
  });
}

/**
 * Reads and checks an archive as it streams: magic, format version, header, every frame's CRC,
 * decryption tag and decompressed length, the footer's record count and the trailing SHA-256.
 * Any problem is a GridctlError INTEGRITY (exit 6) naming the byte offset and frame / records.
 */
export class ArchiveReader {
  footer: ArchiveFooter | undefined;
  /** The trailing SHA-256 as read from the file (set once it has been checked). */
  trailerSha256: Buffer | undefined;
  /** SHA-256 of the whole file, trailer included (hex), as a manifest records it; set at the end. */
  fileSha256: string | undefined;
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly cursor: FileCursor,
    readonly header: ArchiveHeader,
    private readonly cipher: FrameCipher | undefined,
    private readonly decode: boolean,
  ) {}

  /**
   * `decode: false` checks structure only (every frame's header and CRC-32, the footer and the
   * SHA-256) and hands out frames with empty `raw`: the backup's read-back of a file whose frames
   * were already decoded and checked as they were written.
   */
  static async open(file: string, opts: { keyMaterial?: Buffer; decode?: boolean } = {}): Promise<ArchiveReader> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      throw new GridctlError('USAGE', `cannot open backup ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
    }
    try {
      const cursor = new FileCursor(handle);
      const pre = await cursor.read(PREAMBLE_BYTES, 'the file header');
      if (!pre.subarray(0, 8).equals(ARCHIVE_MAGIC)) {
        throw integrity(`not a gridctl backup: wrong magic at byte 0 (${JSON.stringify(pre.subarray(0, 8).toString('latin1'))}, expected "GRDCTLBK")`, 0);
      }
      const version = pre.readUInt16BE(8);
      if (version > ARCHIVE_FORMAT_VERSION || version < OLDEST_READABLE_FORMAT) {
        throw integrity(`backup format version ${version} is not supported: this gridctl reads formats ${OLDEST_READABLE_FORMAT} to ${ARCHIVE_FORMAT_VERSION}`, 8, { formatVersion: version });
      }
      const flags = pre.readUInt16BE(10);
      const headerLen = pre.readUInt32BE(12);
      if (headerLen > MAX_META_BYTES) throw integrity(`header length ${headerLen} at byte 12 is implausible`, 12);
      const headerBytes = await cursor.read(headerLen, 'the header JSON');
      let header: ArchiveHeader;
      try {
        header = JSON.parse(headerBytes.toString('utf8')) as ArchiveHeader;
      } catch {
        throw integrity(`header JSON at byte ${PREAMBLE_BYTES} is damaged`, PREAMBLE_BYTES);
      }
      if (header.format !== version) throw integrity(`header says format ${header.format} but the preamble says ${version}`, PREAMBLE_BYTES);
      const algorithm = header.compression?.algorithm;
      if (algorithm !== 'brotli' && algorithm !== 'deflate-raw') throw integrity(`header names an unknown compression ${JSON.stringify(algorithm)}`, PREAMBLE_BYTES);
      let cipher: FrameCipher | undefined;
      if (flags & FLAG_ENCRYPTED) {
        if (!header.encryption) throw integrity('encrypted flag set but the header has no encryption parameters', 10);
        if (!opts.keyMaterial) {
          throw new GridctlError('USAGE', `${file} is encrypted`, { hint: 'pass --encrypt-key-file with the key it was written with' });
        }
        cipher = openFrameCipher(opts.keyMaterial, header.encryption);
        if (version >= HEADER_BOUND_FORMAT) cipher.bindHeader(Buffer.concat([pre, headerBytes]));
      }
      return new ArchiveReader(file, handle, cursor, header, cipher, opts.decode ?? true);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  get encrypted(): boolean {
    return this.cipher !== undefined;
  }

  /** Every frame, decoded and checked; after the last one the footer and checksum are verified. */
  async *frames(): AsyncGenerator<ArchiveFrame> {
    const c = this.cursor;
    let index = 0;
    let records = 0;
    let next = await this.readFrame(index, records);
    while (next) {
      const current = next;
      // Read and inflate the next frame while the caller works on this one.
      const ahead = this.readFrame(index + 1, records + current.recordCount);
      ahead.catch(() => undefined);
      yield { ...current, raw: await current.raw };
      index++;
      records += current.recordCount;
      next = await ahead;
    }
    const lenOffset = c.offset;
    const footerLen = (await c.read(4, 'the footer length')).readUInt32BE(0);
    if (footerLen > MAX_META_BYTES) throw integrity(`footer length ${footerLen} at byte ${lenOffset} is implausible`, lenOffset);
    const stored = await c.read(footerLen, 'the footer');
    let plain = stored;
    if (this.cipher) {
      try {
        plain = this.cipher.decrypt(stored, index, true);
      } catch {
        throw integrity(`footer at byte ${lenOffset + 4} failed authentication (tampered, truncated or reordered)`, lenOffset + 4);
      }
    }
    let footer: ArchiveFooter;
    try {
      footer = JSON.parse(plain.toString('utf8')) as ArchiveFooter;
    } catch {
      throw integrity(`footer JSON at byte ${lenOffset + 4} is damaged`, lenOffset + 4);
    }
    const expected = c.hash.copy().digest();
    const shaOffset = c.offset;
    const actual = await c.read(SHA256_BYTES, 'the SHA-256 checksum', false);
    if (!expected.equals(actual)) throw integrity(`SHA-256 checksum mismatch (checksum at byte ${shaOffset}): the file was modified`, shaOffset);
    const endOffset = c.offset;
    const end = await c.read(ARCHIVE_END_MAGIC.length, 'the end marker', false);
    if (!end.equals(ARCHIVE_END_MAGIC)) throw integrity(`wrong end marker at byte ${endOffset}`, endOffset);
    if (!(await c.atEnd())) throw integrity(`unexpected bytes after the end marker at byte ${c.offset}`, c.offset);
    this.fileSha256 = c.hash.update(actual).update(end).digest('hex');
    if (footer.records !== records || footer.frames !== index) {
      throw integrity(`footer counts ${footer.records} records in ${footer.frames} frames but the file holds ${records} in ${index}`, lenOffset);
    }
    this.footer = footer;
    this.trailerSha256 = Buffer.from(actual);
  }

  private async readFrame(index: number, firstRecord: number): Promise<(Omit<ArchiveFrame, 'raw'> & { raw: Promise<Buffer> }) | undefined> {
    const c = this.cursor;
    const offset = c.offset;
    const head = await c.read(FRAME_HEADER_BYTES, `frame ${index} header`);
    const storedLen = head.readUInt32BE(0);
    const rawLen = head.readUInt32BE(4);
    const recordCount = head.readUInt32BE(8);
    const crc = head.readUInt32BE(12);
    if (storedLen === 0) {
      if (rawLen !== 0 || recordCount !== 0 || crc !== 0) throw integrity(`damaged end-of-frames marker at byte ${offset}`, offset);
      return undefined;
    }
    const where = `frame ${index} at byte ${offset} (records #${firstRecord}..#${firstRecord + recordCount - 1})`;
    if (rawLen > 1 << 30 || storedLen > (1 << 30) + 64) throw integrity(`${where}: implausible length`, offset, { frame: index });
    const stored = await c.read(storedLen, `frame ${index} data`);
    if (crc32(stored) !== crc) throw integrity(`${where}: CRC-32 mismatch`, offset, { frame: index, firstRecord });
    const raw = this.decode ? decodeFrame(this.header.compression, stored, rawLen, index, this.cipher, where, offset) : Promise.resolve(EMPTY);
    raw.catch(() => undefined);
    return { index, offset, firstRecord, recordCount, storedLength: storedLen, crc, raw };
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
