import { verifyArchive, type ArchiveVerifyReport } from '../backup/verify.js';
import { Reservoir, type SampledRecord } from '../restore/sample-check.js';

export interface ArchiveSample {
  verified: ArchiveVerifyReport;
  /** A uniform sample of all records (for the comparison with the source). */
  any: SampledRecord[];
  /** A uniform sample of the records with an expiry (for the TTL check). */
  expiring: SampledRecord[];
}

/** Verify the archive end to end (exit 6 when damaged) and keep two reservoir samples of its records. */
export async function sampleArchive(file: string, size: number, keyMaterial?: Buffer): Promise<ArchiveSample> {
  const any = new Reservoir(size);
  const expiring = new Reservoir(size);
  const verified = await verifyArchive(file, {
    ...(keyMaterial ? { keyMaterial } : {}),
    onRecord: (r, seq) => {
      const keep = (into: Reservoir) => {
        const slot = into.slot();
        // Copied: the record is a view into a frame buffer that is reused.
        if (slot >= 0) into.items[slot] = { key: Buffer.from(r.key), type: r.type, expireAt: r.expireAt, payload: Buffer.from(r.payload), seq };
      };
      keep(any);
      if (r.expireAt >= 0) keep(expiring);
    },
  });
  return { verified, any: any.items, expiring: expiring.items };
}
