/**
 * The gridctl logical backup archive, format version 3 (".gbk"). Version 2 differs only in that an
 * encrypted archive's header is not bound into the encryption (still read: its frames and footer
 * are authenticated, its header only checksummed); version 1 also in its compression (deflate-raw
 * level 1 instead of Brotli quality 1). Both are still read.
 *
 * Layout (all integers big-endian):
 *   magic "GRDCTLBK" (8) · u16 format version · u16 flags · u32 header length · header JSON
 *   frames, each: u32 stored length · u32 raw length · u32 record count · u32 CRC-32 of the stored bytes · stored bytes
 *     (stored = compress(raw records) as the header's `compression` says, then AES-256-GCM (ciphertext + 16-byte tag) when
 *     encrypted, its associated data the frame index, a footer flag and the SHA-256 of the preamble + header JSON)
 *   end-of-frames marker: a frame header whose stored length is 0 (16 zero bytes)
 *   u32 footer length · footer JSON (encrypted like a frame when the archive is encrypted)
 *   SHA-256 (32) of every byte before it · end magic "GRDCTLND" (8)
 *
 * Frames carry their own CRC so a reader can name the frame (and the records in it) that is
 * damaged; the trailing SHA-256 covers the whole file, header and footer included.
 */
import type { Engine } from '../compat/server-identity.js';
export const ARCHIVE_MAGIC = Buffer.from('GRDCTLBK', 'latin1');
export const ARCHIVE_END_MAGIC = Buffer.from('GRDCTLND', 'latin1');
export const ARCHIVE_FORMAT_VERSION = 3;
/** Format versions this gridctl reads: 1 (deflate-raw frames), 2 (Brotli frames) and 3 (header authenticated). */
export const OLDEST_READABLE_FORMAT = 1;
/** The first format whose encrypted archives bind the preamble and header into every frame's AAD. */
export const HEADER_BOUND_FORMAT = 3;
export const ARCHIVE_EXTENSION = '.gbk';

export const FLAG_COMPRESSED = 1;
export const FLAG_ENCRYPTED = 2;

/** Preamble = magic + u16 version + u16 flags + u32 header length. */
export const PREAMBLE_BYTES = 16;
export const FRAME_HEADER_BYTES = 16;
export const SHA256_BYTES = 32;
/** A header or footer larger than this is corruption, not data (it is a few hundred bytes of JSON). */
export const MAX_META_BYTES = 1 << 20;
/** Raw bytes gathered before a frame is compressed and written. */
export const FRAME_RAW_TARGET = 1 << 20;

export type KeyType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'other';
/** Record type codes (page-builder.ts derives them from each DUMP payload's first byte). */
const KEY_TYPES: readonly KeyType[] = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'other'];
export function keyTypeName(code: number): KeyType {
  return KEY_TYPES[code] ?? 'other';
}

export interface ArchiveEncryptionInfo {
  algorithm: 'aes-256-gcm';
  kdf: 'hkdf-sha256';
  /** base64 */
  salt: string;
  /** base64, 4 bytes; each frame's 12-byte nonce is this prefix + its u64 index. */
  noncePrefix: string;
  /** base64 HMAC of a constant under the derived key: tells "wrong key" apart from "corrupt frame". */
  keyCheck: string;
}

export interface ArchiveHeader {
  format: number;
  gridctlVersion: string;
  mode: 'logical';
  topology: 'standalone' | 'sentinel' | 'cluster';
  /** The source's engine (absent in archives written before it was recorded: Redis, or a Valkey by its redis_version). */
  engine?: Engine;
  /** The engine's own version of the source (the first master's; all masters are listed). */
  serverVersion: string;
  masters: Array<{ address: string; serverVersion: string; role: 'master' | 'replica' }>;
  startedAt: string;
  compression: ArchiveCompression;
  encryption?: ArchiveEncryptionInfo;
}

/** Format 2 writes Brotli (frame-codec.ts); format 1 archives carry deflate-raw. */
export type ArchiveCompression = { algorithm: 'brotli'; quality: number } | { algorithm: 'deflate-raw'; level: number };

export type TypeCounts = Partial<Record<KeyType, number>>;

export interface ArchiveFooter {
  records: number;
  frames: number;
  rawBytes: number;
  countsByType: TypeCounts;
  endedAt: string;
}

/**
 * One record: u8 type · u32 key length · key · i64 absolute expiry in ms since the epoch (-1 = none)
 * · u32 payload length · DUMP payload.
 */
export const RECORD_FIXED_BYTES = 1 + 4 + 8 + 4;
