import { stat } from 'node:fs/promises';
import { ArchiveReader } from './archive-reader.js';
import type { ArchiveRecord } from './record-codec.js';
import type { ArchiveFooter, ArchiveHeader, TypeCounts } from './archive-format.js';
import { RecordTally } from './record-tally.js';

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
  /** SHA-256 of the whole file (hex), what a manifest records. */
  sha256: string;
}

/**
 * Check an archive without a server: structure, every frame, every record's framing and its DUMP
 * payload's CRC-64, the record count, the per-type counts against the footer, and the whole-file
 * SHA-256. Throws INTEGRITY
 * (exit 6) naming the offset / frame / record on any problem.
 */
export async function verifyArchive(
  file: string,
  opts: { keyMaterial?: Buffer; onRecord?: (r: ArchiveRecord, index: number) => void } = {},
): Promise<ArchiveVerifyReport> {
  const reader = await ArchiveReader.open(file, opts.keyMaterial ? { keyMaterial: opts.keyMaterial } : {});
  const tally = new RecordTally({ payloadCrc: true });
  try {
    for await (const frame of reader.frames()) tally.checkFrame(frame.raw, frame, opts.onRecord);
  } finally {
    await reader.close();
  }
  const footer = reader.footer!;
  tally.checkFooterCounts(footer.countsByType);
  const counts = tally.countsByType();
  const { records, expiredNow, maxRdbVersion } = tally;
  const bytes = (await stat(file)).size;
  return { file, ok: true, bytes, encrypted: reader.encrypted, header: reader.header, footer, records, countsByType: counts, expiredNow, maxRdbVersion, sha256: reader.fileSha256! };
}
