import { ArchiveReader, integrity } from './archive-reader.js';
import type { ArchiveWriteResult } from './archive-writer.js';

/**
 * The backup's read-back of the finished archive under its final name (after fsync and rename):
 * every byte is read and the structure checked as `backup verify` does (magic, version, header,
 * every frame's header and CRC-32, the end-of-frames marker, the footer, the SHA-256 over the
 * whole file, the end magic, nothing after it), and each frame's length and CRC-32 and the trailer
 * SHA-256 must equal those of the frames that were decoded and checked record by record as they
 * were written (WrittenFrameCheck). Equal SHA-256 means the file on disk is byte for byte the one
 * that was checked, so inflating every frame a second time would add time, not certainty.
 */
export async function readBackArchive(file: string, written: ArchiveWriteResult, keyMaterial?: Buffer): Promise<{ records: number; frames: number }> {
  const reader = await ArchiveReader.open(file, { ...(keyMaterial ? { keyMaterial } : {}), decode: false });
  let records = 0;
  let frames = 0;
  try {
    for await (const frame of reader.frames()) {
      const checked = written.checkedFrames[frame.index];
      if (!checked || checked.storedLength !== frame.storedLength || checked.crc !== frame.crc) {
        throw integrity(`frame ${frame.index} at byte ${frame.offset} on disk is not the frame that was checked when written`, frame.offset, { frame: frame.index });
      }
      records += frame.recordCount;
      frames++;
    }
  } finally {
    await reader.close();
  }
  if (frames !== written.checkedFrames.length || records !== written.records) {
    throw integrity(`${file} holds ${records} records in ${frames} frames; ${written.records} in ${written.checkedFrames.length} were written and checked`);
  }
  if (!reader.trailerSha256?.equals(written.trailerSha256)) {
    throw integrity(`${file}: the SHA-256 on disk is not the one written`);
  }
  return { records, frames };
}
