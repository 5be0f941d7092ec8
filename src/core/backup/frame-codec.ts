import { brotliCompress, brotliDecompress, constants, inflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import type { ArchiveCompression } from './archive-format.js';

const brotliCompressAsync = promisify(brotliCompress);
const brotliDecompressAsync = promisify(brotliDecompress);
const inflateRawAsync = promisify(inflateRaw);

/**
 * How format 2 compresses frames: Brotli at quality 1, faster and smaller than deflate level 1
 * (format 1) on the gateway's records (bench/README.md); a logical backup is CPU-bound on a small machine.
 */
export const FRAME_COMPRESSION = { algorithm: 'brotli', quality: 1 } as const satisfies ArchiveCompression;

/** Cap on one output chunk: a damaged raw length in a frame header must not allocate a huge buffer. */
const MAX_SINGLE_CHUNK = 4 << 20;

/** Compress one frame's records (on the libuv pool, so the dump goes on meanwhile). */
export function compressFrame(raw: Buffer): Promise<Buffer> {
  return brotliCompressAsync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: FRAME_COMPRESSION.quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      // A 256 KiB window: ratio 3.78 against 3.91 with the default 4 MiB one, as fast, and less memory per frame in flight.
      [constants.BROTLI_PARAM_LGWIN]: 18,
    },
  });
}

/**
 * A frame's compressed bytes back to exactly `rawLength` bytes, in one output chunk of that size
 * (no per-16-KiB callbacks, no join). Output beyond `rawLength` is refused by the decoder itself.
 */
export function decompressFrame(compression: ArchiveCompression, compressed: Buffer, rawLength: number): Promise<Buffer> {
  const chunkSize = Math.max(64, Math.min(rawLength + 1, MAX_SINGLE_CHUNK));
  const maxOutputLength = Math.max(1, rawLength);
  if (compression.algorithm === 'brotli') return brotliDecompressAsync(compressed, { chunkSize, maxOutputLength });
  return inflateRawAsync(compressed, { chunkSize, maxOutputLength });
}
