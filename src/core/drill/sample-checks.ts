import type { AnyRedis } from '../redis/connect.js';
import type { SampledRecord } from '../restore/sample-check.js';
import type { DrillCheck } from './drill-check.js';

/** How far a restored TTL may be from the archive's absolute expiry: the clocks and the check itself. */
const TTL_SLACK_MS = 2000;

/** Restored keys that had an expiry in the backup still expire when the archive says (RESTORE ... ABSTTL). */
export async function checkTtls(client: AnyRedis, sample: readonly SampledRecord[]): Promise<DrillCheck> {
  let checked = 0;
  const wrong: string[] = [];
  for (const rec of sample) {
    const before = Date.now();
    if (rec.expireAt <= before + TTL_SLACK_MS) continue; // may have expired meanwhile
    const pttl = await client.pttl(rec.key);
    checked++;
    const expected = rec.expireAt - before;
    if (pttl < 0 || Math.abs(pttl - expected) > TTL_SLACK_MS) wrong.push(`${rec.key.toString('latin1')} (TTL ${pttl < 0 ? pttl : `${Math.round(pttl / 1000)}s`}, backup ${Math.round(expected / 1000)}s)`);
  }
  if (!checked) return { check: 'ttl', status: 'SKIP', detail: 'no key with a future expiry in the sample' };
  return {
    check: 'ttl',
    status: wrong.length ? 'FAIL' : 'PASS',
    expected: `${checked} sampled keys expire as in the backup (±${TTL_SLACK_MS / 1000}s)`,
    actual: `${checked - wrong.length}/${checked}`,
    ...(wrong.length ? { detail: wrong.slice(0, 5).join(', ') } : {}),
  };
}

/**
 * A sample of the backup's keys compared with the live source: the same DUMP, changed since the
 * backup, or gone. Live data moves on, so differences are reported (WARN), not failed.
 */
export async function compareWithSource(source: AnyRedis, sample: readonly SampledRecord[]): Promise<DrillCheck> {
  let same = 0;
  let changed = 0;
  let gone = 0;
  for (const rec of sample) {
    const dumped = await source.dumpBuffer(rec.key);
    if (!dumped) gone++;
    // Hashtable-encoded sets and hashes serialise in dict order: same length, maybe other bytes.
    else if (dumped.equals(rec.payload) || ((rec.type === 2 || rec.type === 4) && dumped.length === rec.payload.length)) same++;
    else changed++;
  }
  const checked = same + changed + gone;
  return {
    check: 'source-sample',
    status: checked && same === checked ? 'PASS' : checked ? 'WARN' : 'SKIP',
    expected: `${checked} sampled keys as in the backup`,
    actual: `${same} same, ${changed} changed, ${gone} gone from the source`,
    ...(same < checked ? { detail: 'the source moved on since the backup (expected for live data); a large share gone may mean the backup is old or incomplete' } : {}),
  };
}
