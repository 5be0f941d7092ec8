import { RECORD_FIXED_BYTES, keyTypeName, type TypeCounts } from './archive-format.js';
import { typeCodeAt } from './dump-payload.js';

/**
 * The records of one backup page, already encoded (record-codec.ts layout) in one buffer: the
 * writer copies them into its frame (encodeInto) and counts them by type and namespace.
 */
export interface PageRecords {
  count: number;
  /** Encoded size. */
  bytes: number;
  /** Each record's archive type code. */
  types: Uint8Array;
  /** Record i's key (a view). */
  key(i: number): Buffer;
  /** Record i's key decoded as latin1 (namespace counts), without a view per key. */
  keyString(i: number): string;
  encodeInto(out: Buffer, offset: number): void;
}

/** Add a page's records to counts per type (the archive footer's countsByType). */
export function countTypes(page: Pick<PageRecords, 'count' | 'types'>, counts: TypeCounts): void {
  for (let i = 0; i < page.count; i++) {
    const t = keyTypeName(page.types[i]!);
    counts[t] = (counts[t] ?? 0) + 1;
  }
}

const TWO_32 = 4294967296;
const START_BYTES = 256 << 10;
const SHRINK_ABOVE_BYTES = 16 << 20;

/**
 * Builds a page's encoded records straight from the bytes they arrive in (the SCAN page's keys,
 * the DUMP reply in the socket buffer): one copy per key and payload, no object per key. One builder
 * is reused page after page, so a backup's memory does not grow with the number of keys.
 */
export class PageBuilder {
  private buf = Buffer.allocUnsafe(START_BYTES);
  private used = 0;
  private count = 0;
  private types = new Uint8Array(0);
  private keyStarts = new Int32Array(0);
  private keyLens = new Int32Array(0);

  /** Start a page of at most `maxRecords` records. */
  reset(maxRecords: number): void {
    this.used = 0;
    this.count = 0;
    // A huge key grew the buffer; do not keep that memory for the rest of the backup.
    if (this.buf.length > SHRINK_ABOVE_BYTES) this.buf = Buffer.allocUnsafe(START_BYTES);
    if (this.types.length < maxRecords) {
      this.types = new Uint8Array(maxRecords);
      this.keyStarts = new Int32Array(maxRecords);
      this.keyLens = new Int32Array(maxRecords);
    }
  }

  add(keys: Buffer, keyStart: number, keyEnd: number, expireAt: number, payloadSource: Buffer, payloadStart: number, payloadLength: number): void {
    const keyLength = keyEnd - keyStart;
    this.reserve(RECORD_FIXED_BYTES + keyLength + payloadLength);
    const out = this.buf;
    let o = this.used;
    const type = typeCodeAt(payloadSource, payloadStart, payloadLength);
    out[o] = type;
    out.writeUInt32BE(keyLength, o + 1);
    o += 5;
    this.keyStarts[this.count] = o;
    this.keyLens[this.count] = keyLength;
    this.types[this.count] = type;
    o += keys.copy(out, o, keyStart, keyEnd);
    // The i64 expiry as two 32-bit halves: no BigInt per key.
    const hi = Math.floor(expireAt / TWO_32);
    out.writeInt32BE(hi, o);
    out.writeUInt32BE(expireAt - hi * TWO_32, o + 4);
    out.writeUInt32BE(payloadLength, o + 8);
    o += 12;
    o += payloadSource.copy(out, o, payloadStart, payloadStart + payloadLength);
    this.used = o;
    this.count++;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + bytes));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  /** The page built so far; valid until the next reset. */
  page(): PageRecords {
    const buf = this.buf;
    const used = this.used;
    const starts = this.keyStarts;
    const lens = this.keyLens;
    return {
      count: this.count,
      bytes: used,
      types: this.types.subarray(0, this.count),
      key: (i) => buf.subarray(starts[i]!, starts[i]! + lens[i]!),
      keyString: (i) => buf.toString('latin1', starts[i]!, starts[i]! + lens[i]!),
      encodeInto: (out, offset) => void buf.copy(out, offset, 0, used),
    };
  }
}
