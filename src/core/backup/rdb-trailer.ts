import { open } from 'node:fs/promises';
import { Crc64 } from '../rdb/crc64.js';

const READ_CHUNK_BYTES = 4 << 20;
/** An RDB ends with the EOF opcode and the CRC-64 (little-endian) of every byte before the CRC. */
const EOF_OPCODE = 0xff;
const CRC_BYTES = 8;

export interface RdbTrailerCheck {
  ok: boolean;
  /** 'intact': the CRC-64 ends the file · 'disabled': written with rdbchecksum no (8 zero bytes). */
  checksum?: 'intact' | 'disabled';
  message: string;
}

/**
 * gridctl's own check of an RDB file, needing no redis-check-rdb: "REDIS" and a 4-digit version at
 * the start, and the file ends exactly where its CRC-64 does. The file is read once; at every EOF
 * opcode the CRC so far is compared with the 8 bytes after it, so bytes appended after a valid
 * checksum are told apart (and named) from damage anywhere in the file.
 */
export async function checkRdbTrailer(file: string): Promise<RdbTrailerCheck> {
  const h = await open(file, 'r');
  try {
    const { size } = await h.stat();
    const head = Buffer.alloc(9);
    await h.read(head, 0, 9, 0);
    const version = head.toString('latin1', 5, 9);
    if (size < 18 || head.toString('latin1', 0, 5) !== 'REDIS' || !/^\d{4}$/.test(version)) return { ok: false, message: 'not an RDB file: no "REDIS" and version at byte 0' };
    const end = await firstChecksumEnd(h, size);
    if (end === size) return { ok: true, checksum: 'intact', message: `RDB version ${Number(version)}, CRC-64 intact` };
    if (end !== undefined) return { ok: false, message: `${size - end} byte(s) after the RDB's checksum (it ends at byte ${end}): the file was appended to` };
    const tail = Buffer.alloc(9);
    await h.read(tail, 0, 9, size - 9);
    if (tail[0] === EOF_OPCODE && tail.subarray(1).every((b) => b === 0)) {
      return { ok: true, checksum: 'disabled', message: `RDB version ${Number(version)}, written without a checksum (rdbchecksum no): only its structure could be checked` };
    }
    return { ok: false, message: "the RDB's CRC-64 does not match its content: the file is damaged or cut short" };
  } finally {
    await h.close();
  }
}

/** Offset just past the first EOF opcode whose next 8 bytes are the CRC-64 of everything up to it. */
async function firstChecksumEnd(h: import('node:fs/promises').FileHandle, size: number): Promise<number | undefined> {
  const crc = new Crc64();
  let carry = Buffer.alloc(0);
  // File offset of data[0].
  let base = 0;
  for (let filePos = 0; filePos < size || carry.length > 0; ) {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, size - filePos));
    const { bytesRead } = chunk.length ? await h.read(chunk, 0, chunk.length, filePos) : { bytesRead: 0 };
    filePos += bytesRead;
    const atEof = filePos >= size || bytesRead === 0;
    const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    // The last 8 bytes wait for the next chunk: an opcode needs its 8 bytes after it in view.
    const limit = atEof ? data.length : Math.max(0, data.length - CRC_BYTES);
    for (let i = 0; i < limit; ) {
      const j = data.indexOf(EOF_OPCODE, i);
      if (j < 0 || j >= limit) {
        crc.update(data, i, limit);
        break;
      }
      crc.update(data, i, j + 1);
      if (j + 1 + CRC_BYTES <= data.length && crc.matchesLE(data, j + 1)) return base + j + 1 + CRC_BYTES;
      i = j + 1;
    }
    if (atEof) return undefined;
    carry = data.subarray(limit);
    base += limit;
  }
  return undefined;
}
