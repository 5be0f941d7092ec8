import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { FRAME_HEADER_BYTES, type TypeCounts } from './archive-format.js';
import { decodeFrame, integrity, type ArchiveFrame } from './archive-reader.js';
import { RecordTally } from './record-tally.js';
import { FRAME_COMPRESSION } from './frame-codec.js';
import type { FrameCipher } from './archive-crypto.js';

const READ_BUFFER_BYTES = 1 << 20;

/** What the writer put in one frame: the same fields a reader finds, with `raw` the records before compression. */
export type WrittenFrame = ArchiveFrame;

/**
 * Verification of a backup while it is written, so it does not have to run after the dump: as
 * soon as a frame is on disk (page cache) it is read back from the temporary file and put through
 * the checks `backup verify` runs (header, CRC-32, GCM tag, inflate, raw length, every record,
 * the record count) and compared byte for byte with the records that were dumped. This overlaps
 * with the dump, where the client had an idle core; the finished file is then read back once more
 * (readBackArchive), every byte against the CRC-32 of what was written.
 */
export class WrittenFrameCheck {
  readonly tally = new RecordTally();
  /** Frames checked so far. */
  private checkedFrames = 0;
  /** Read-back buffers, reused: a frame's stored bytes are about a quarter of its raw size. */
  private readonly readPool: Buffer[] = [];

  constructor(private readonly handle: FileHandle, private readonly cipher: FrameCipher | undefined) {}

  async check(f: WrittenFrame): Promise<void> {
    const where = `written frame ${f.index} at byte ${f.offset} (records #${f.firstRecord}..#${f.firstRecord + f.recordCount - 1})`;
    const size = FRAME_HEADER_BYTES + f.storedLength;
    const pooled = size <= READ_BUFFER_BYTES ? (this.readPool.pop() ?? Buffer.allocUnsafe(READ_BUFFER_BYTES)) : undefined;
    try {
      await this.checkFrom(pooled ? pooled.subarray(0, size) : Buffer.allocUnsafe(size), f, where);
    } finally {
      if (pooled) this.readPool.push(pooled);
    }
  }

  private async checkFrom(onDisk: Buffer, f: WrittenFrame, where: string): Promise<void> {
    const { bytesRead } = await this.handle.read(onDisk, 0, onDisk.length, f.offset);
    if (bytesRead !== onDisk.length) throw integrity(`${where}: read back ${bytesRead} of ${onDisk.length} bytes`, f.offset);
    const storedLength = onDisk.readUInt32BE(0);
    const rawLength = onDisk.readUInt32BE(4);
    const recordCount = onDisk.readUInt32BE(8);
    const crc = onDisk.readUInt32BE(12);
    const stored = onDisk.subarray(FRAME_HEADER_BYTES);
    if (storedLength !== f.storedLength || rawLength !== f.raw.length || recordCount !== f.recordCount || crc !== f.crc) {
      throw integrity(`${where}: the header read back differs from the one written`, f.offset, { frame: f.index });
    }
    if (crc32(stored) !== crc) throw integrity(`${where}: CRC-32 mismatch on read-back`, f.offset, { frame: f.index });
    const decoded = await decodeFrame(FRAME_COMPRESSION, stored, rawLength, f.index, this.cipher, where, f.offset);
    if (!decoded.equals(f.raw)) throw integrity(`${where}: decodes to different bytes than were dumped`, f.offset, { frame: f.index });
    this.tally.checkFrame(decoded, f);
    this.checkedFrames++;
  }

  /** After the last frame: the footer's totals must be what the checked frames hold. */
  checkTotals(records: number, frames: number, countsByType: TypeCounts): void {
    if (this.tally.records !== records || this.checkedFrames !== frames) {
      throw integrity(`the checked frames hold ${this.tally.records} records in ${this.checkedFrames} frames; the footer says ${records} in ${frames}`);
    }
    this.tally.checkFooterCounts(countsByType);
  }
}
