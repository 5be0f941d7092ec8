import { ArchiveReader } from '../backup/archive-reader.js';
import { forEachRecord } from '../backup/record-codec.js';
import { ScriptRunner } from '../backup/script-runner.js';
import { EXISTS_SCRIPT } from './restore-script.js';
import type { RestoreTarget } from './restore-target.js';

const BATCH = 1000;
const LISTED = 50;

export interface ConflictReport {
  count: number;
  /** The first few conflicting keys (latin1, for display). */
  keys: string[];
}

/**
 * Which keys of the archive already exist in the target, found BEFORE anything is written (so
 * --on-conflict fail can refuse with nothing changed). One read-only script per batch per node.
 */
export async function findConflicts(
  file: string,
  keyMaterial: Buffer | undefined,
  target: RestoreTarget,
  select: (key: Buffer, expireAt: number) => boolean,
): Promise<ConflictReport> {
  const script = new ScriptRunner(EXISTS_SCRIPT);
  const reader = await ArchiveReader.open(file, keyMaterial ? { keyMaterial } : {});
  const batches: Buffer[][] = target.nodes.map(() => []);
  const report: ConflictReport = { count: 0, keys: [] };
  const flush = async (i: number) => {
    const keys = batches[i]!;
    batches[i] = [];
    if (!keys.length) return;
    const hits = (await script.run(target.nodes[i]!.client, keys)) as number[];
    report.count += hits.length;
    for (const h of hits) if (report.keys.length < LISTED) report.keys.push(keys[Number(h) - 1]!.toString('latin1'));
  };
  try {
    for await (const frame of reader.frames()) {
      const pending: Array<Promise<void>> = [];
      forEachRecord(frame.raw, frame.firstRecord, (r) => {
        if (!select(r.key, r.expireAt)) return;
        const i = target.nodeIndexFor(r.key);
        batches[i]!.push(r.key);
        if (batches[i]!.length >= BATCH) pending.push(flush(i));
      });
      await Promise.all(pending);
    }
    await Promise.all(target.nodes.map((_, i) => flush(i)));
  } finally {
    await reader.close();
  }
  return report;
}
