import { GridctlError } from '../errors.js';
import { keyTypeName, type TypeCounts } from './archive-format.js';
import { forEachRecord, forEachRecordLite, type ArchiveRecord } from './record-codec.js';
import { crc64 } from '../rdb/crc64.js';

/** Where a frame sits, for messages. */
export interface FramePlace {
  index: number;
  offset: number;
  firstRecord: number;
  recordCount: number;
}

/**
 * The per-record checks of a verification, frame by frame: every record's framing, each frame's
 * record count against its header, counts per type (compared with the footer at the end), expired
 * records, and the newest DUMP payload RDB version. Used by `backup verify` / restore on a file
 * and by the backup on each frame as it is written, so both run exactly the same checks.
 * With `payloadCrc` every DUMP payload's own CRC-64 is checked too (verify and restore: a payload
 * damaged before its frame was checksummed passes every file checksum, and RESTORE would refuse it
 * mid-restore); the backup leaves it off, its payloads come straight from the server's DUMP.
 */
export class RecordTally {
  records = 0;
  expiredNow = 0;
  maxRdbVersion = 0;
  private readonly now = Date.now();
  private readonly byCode = new Float64Array(8);
  private readonly payloadCrc: boolean;

  constructor(opts: { payloadCrc?: boolean } = {}) {
    this.payloadCrc = opts.payloadCrc ?? false;
  }

  checkFrame(raw: Buffer, frame: FramePlace, onRecord?: (r: ArchiveRecord, index: number) => void): void {
    let n: number;
    if (onRecord) {
      n = forEachRecord(raw, frame.firstRecord, (r, i) => {
        this.count(r.type, r.expireAt, r.payload.length >= 10 ? r.payload.readUInt16LE(r.payload.length - 10) : -1, i, frame);
        if (this.payloadCrc) this.checkPayloadCrc(r.payload, 0, r.payload.length, i, frame);
        onRecord(r, i);
      });
    } else {
      let i = frame.firstRecord;
      n = forEachRecordLite(raw, frame.firstRecord, (type, expireAt, ps, pe) => {
        // A DUMP payload ends with a 2-byte RDB version and an 8-byte CRC-64 (dump-payload.ts).
        this.count(type, expireAt, pe - ps >= 10 ? raw.readUInt16LE(pe - 10) : -1, i, frame);
        if (this.payloadCrc) this.checkPayloadCrc(raw, ps, pe, i, frame);
        i++;
      });
    }
    if (n !== frame.recordCount) {
      throw new GridctlError('INTEGRITY', `frame ${frame.index} at byte ${frame.offset} holds ${n} records but its header says ${frame.recordCount}`, { details: { frame: frame.index, offset: frame.offset } });
    }
    this.records += n;
  }

  private count(type: number, expireAt: number, rdbVersion: number, index: number, frame: FramePlace): void {
    this.byCode[type < 7 ? type : 6]!++;
    if (expireAt >= 0 && expireAt <= this.now) this.expiredNow++;
    if (rdbVersion < 0) this.tooShort(index, frame);
    if (rdbVersion > this.maxRdbVersion) this.maxRdbVersion = rdbVersion;
  }

  /** A DUMP payload ends with its CRC-64 (little-endian) over every byte before it, RDB version included. */
  private checkPayloadCrc(buf: Buffer, start: number, end: number, index: number, frame: FramePlace): void {
    const crc = crc64(buf, start, end - 8);
    if (crc.matchesLE(buf, end - 8)) return;
    throw new GridctlError('INTEGRITY', `record #${index} in frame ${frame.index} (byte ${frame.offset}): its DUMP payload's CRC-64 does not match (computed ${crc.hex()}): the value was damaged before the archive was checksummed`, {
      hint: 'use another backup (nothing was written to any server)',
      details: { record: index, frame: frame.index },
    });
  }

  private tooShort(index: number, frame: FramePlace): never {
    throw new GridctlError('INTEGRITY', `record #${index} in frame ${frame.index} (byte ${frame.offset}): DUMP payload too short`, { details: { record: index } });
  }

  /** Counts per type of every record seen so far. */
  countsByType(): TypeCounts {
    const out: TypeCounts = {};
    this.byCode.forEach((n, code) => {
      if (n > 0) out[keyTypeName(code)] = (out[keyTypeName(code)] ?? 0) + n;
    });
    return out;
  }

  /** The footer's counts per type must be what the records hold. */
  checkFooterCounts(footerCounts: TypeCounts): void {
    const counts = this.countsByType();
    for (const [t, n] of Object.entries(footerCounts)) {
      if ((counts[t as keyof TypeCounts] ?? 0) !== n) {
        throw new GridctlError('INTEGRITY', `footer counts ${n} ${t} keys but the records hold ${counts[t as keyof TypeCounts] ?? 0}`);
      }
    }
  }
}
