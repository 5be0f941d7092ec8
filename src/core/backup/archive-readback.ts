import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { integrity } from './archive-reader.js';
import type { ArchiveWriteResult } from './archive-writer.js';

const READ_CHUNK_BYTES = 4 << 20;

/**
 * The backup's read-back of the finished archive under its final name (after fsync and rename):
 * every byte, header and footer included, is read again and must have the length and CRC-32 of
 * what was written. Each frame was already read back and checked record by record as it was
 * written (WrittenFrameCheck); this proves the file under the final name is that same file, with
 * nothing dropped, overwritten or appended since. It does not parse and hash everything again as
 * `backup verify` does: that would be a second full verification, a few times slower.
 */
export async function readBackArchive(file: string, written: ArchiveWriteResult): Promise<void> {
  const h = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let crc = 0;
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await h.read(buf, 0, buf.length, bytes);
      if (bytesRead === 0) break;
      crc = crc32(buf.subarray(0, bytesRead), crc);
      bytes += bytesRead;
    }
    if (bytes !== written.bytes || crc !== written.crc32) {
      throw integrity(`${file}: read back after the rename it is ${bytes} bytes with CRC-32 ${hex(crc)}; ${written.bytes} bytes with CRC-32 ${hex(written.crc32)} were written and checked`);
    }
  } finally {
    await h.close();
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
