import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ArchiveReader } from './archive-reader.js';
import { forEachRecord, type ArchiveRecord } from './record-codec.js';
import { keyTypeName, type ArchiveFooter, type ArchiveHeader, type TypeCounts } from './archive-format.js';
import { payloadRdbVersion } from './dump-payload.js';
import { GridctlError } from '../errors.js';

export interface ArchiveVerifyReport {
  file: string;
  ok: true;
  bytes: number;
  encrypted: boolean;
  header: ArchiveHeader;
  footer: ArchiveFooter;
  records: number;
  countsByType: TypeCounts;
  /** Records whose absolute expiry is already in the past (restore skips them). */
  expiredNow: number;
  /** Newest RDB version among the DUMP payloads: the target must be able to RESTORE it. */
  maxRdbVersion: number;
}

/**
 * Check an archive without a server: structure, every frame, every record's framing, the record
 * count, the per-type counts against the footer, and the whole-file SHA-256. Throws INTEGRITY
 * (exit 6) naming the offset / frame / record on any problem.
 */
export async function verifyArchive(
  file: string,
  opts: { keyMaterial?: Buffer; onRecord?: (r: ArchiveRecord, index: number) => void } = {},
): Promise<ArchiveVerifyReport> {
  const reader = await ArchiveReader.open(file, opts.keyMaterial ? { keyMaterial: opts.keyMaterial } : {});
  const counts: TypeCounts = {};
  let records = 0;
  let expiredNow = 0;
  let maxRdbVersion = 0;
  const now = Date.now();
  try {
    for await (const frame of reader.frames()) {
      const n = forEachRecord(frame.raw, frame.firstRecord, (r, i) => {
        const t = keyTypeName(r.type);
        counts[t] = (counts[t] ?? 0) + 1;
        if (r.expireAt >= 0 && r.expireAt <= now) expiredNow++;
        const v = payloadRdbVersion(r.payload);
        if (v < 0) throw new GridctlError('INTEGRITY', `record #${i} in frame ${frame.index} (byte ${frame.offset}): DUMP payload too short`, { details: { record: i } });
        if (v > maxRdbVersion) maxRdbVersion = v;
        opts.onRecord?.(r, i);
      });
      if (n !== frame.recordCount) {
        throw new GridctlError('INTEGRITY', `frame ${frame.index} at byte ${frame.offset} holds ${n} records but its header says ${frame.recordCount}`, { details: { frame: frame.index, offset: frame.offset } });
      }
      records += n;
    }
  } finally {
    await reader.close();
  }
  const footer = reader.footer!;
  for (const [t, n] of Object.entries(footer.countsByType)) {
    if ((counts[t as keyof TypeCounts] ?? 0) !== n) {
      throw new GridctlError('INTEGRITY', `footer counts ${n} ${t} keys but the records hold ${counts[t as keyof TypeCounts] ?? 0}`);
    }
  }
  const bytes = (await stat(file)).size;
  return { file, ok: true, bytes, encrypted: reader.encrypted, header: reader.header, footer, records, countsByType: counts, expiredNow, maxRdbVersion };
}

/** SHA-256 of a whole file (hex), streamed. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
