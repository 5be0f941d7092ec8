import { TTL_BUCKETS, type TtlBucket } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Upper bounds (exclusive, ms) of the TTL buckets after `none`; the last bucket is open. */
const BOUNDS: Array<[number, number]> = [
  [MINUTE, 1],
  [10 * MINUTE, 2],
  [HOUR, 3],
  [DAY, 4],
  [7 * DAY, 5],
];

/** Index into TTL_BUCKETS for a PTTL reply (-1 = no TTL). */
export function ttlBucketIndex(ttlMs: number): number {
  if (ttlMs < 0) return 0;
  for (const [bound, index] of BOUNDS) if (ttlMs < bound) return index;
  return TTL_BUCKETS.length - 1;
}

export function histogramToRecord(counts: ArrayLike<number>): Record<TtlBucket, number> {
  const out = {} as Record<TtlBucket, number>;
  TTL_BUCKETS.forEach((b, i) => (out[b] = counts[i] ?? 0));
  return out;
}
