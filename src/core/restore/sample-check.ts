import { payloadRdbVersion } from '../backup/dump-payload.js';
import type { RestoreTarget } from './restore-target.js';

export interface SampledRecord {
  key: Buffer;
  type: number;
  expireAt: number;
  payload: Buffer;
  /** Which record of the restore this is, to match it with the outcome the restore script gave it. */
  seq: number;
}

export interface SampleCheckReport {
  checked: number;
  matched: number;
  /** Payloads compared byte for byte (same RDB version on both sides); otherwise existence only. */
  byteCompared: boolean;
  mismatched: string[];
}

/** Keep a uniform random sample of n records from a stream of unknown length (reservoir sampling). */
export class Reservoir {
  readonly items: SampledRecord[] = [];
  private seen = 0;
  constructor(private readonly size: number) {}
  /** Count one more record; returns the slot to store it in, or -1 to leave it out. */
  slot(): number {
    this.seen++;
    if (this.items.length < this.size) return this.items.length;
    const j = Math.floor(Math.random() * this.seen);
    return j < this.size ? j : -1;
  }
}

/**
 * After a restore: DUMP a sample of the restored keys on the target and compare with the archive.
 * When the target writes the same RDB version as the source, DUMP output must be identical;
 * a newer target may re-encode, so then only presence is checked (and said so).
 */
export async function checkSample(target: RestoreTarget, sample: SampledRecord[]): Promise<SampleCheckReport> {
  const report: SampleCheckReport = { checked: 0, matched: 0, byteCompared: true, mismatched: [] };
  const now = Date.now();
  for (const rec of sample) {
    if (rec.expireAt >= 0 && rec.expireAt <= now + 1000) continue; // may legitimately be gone
    const node = target.nodes[target.nodeIndexFor(rec.key)]!;
    const same = payloadRdbVersion(rec.payload) === node.identity.rdbVersion;
    if (!same) report.byteCompared = false;
    const dumped = await node.client.dumpBuffer(rec.key);
    report.checked++;
    if (dumped && (!same || dumped.equals(rec.payload) || sameUnorderedEncoding(rec, dumped))) report.matched++;
    else if (report.mismatched.length < 20) report.mismatched.push(rec.key.toString('latin1'));
  }
  return report;
}

/**
 * Hashtable-encoded sets and hashes serialise in dict order, which depends on each server's random
 * hash seed: the same content DUMPs to different bytes of the same length on another server.
 */
function sameUnorderedEncoding(rec: SampledRecord, dumped: Buffer): boolean {
  return (rec.type === 2 || rec.type === 4) && dumped.length === rec.payload.length;
}
