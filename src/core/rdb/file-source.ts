import type { FileHandle } from 'node:fs/promises';
import type { ByteSource } from './input.js';

/** Sequential reads from an open file (from `start`), for RdbParser. */
export function fileSource(handle: FileHandle, start = 0): ByteSource {
  let position = start;
  return {
    async read(buf, offset, length) {
      const { bytesRead } = await handle.read(buf, offset, length, position);
      position += bytesRead;
      return bytesRead;
    },
  };
}

/** A whole buffer as a source (tests, in-memory files). */
export function bufferSource(data: Buffer): ByteSource {
  let position = 0;
  return {
    async read(buf, offset, length) {
      const n = Math.min(length, data.length - position);
      data.copy(buf, offset, position, position + n);
      position += n;
      return n;
    },
  };
}
