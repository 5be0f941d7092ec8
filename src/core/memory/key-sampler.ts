import type { Estimate } from './types.js';

/**
 * `--sample RATIO`: a key is analysed when a hash of its name falls below RATIO. Deciding by the
 * name (not by position in the SCAN) makes the sample independent of the hash-table layout, the
 * same on a cluster as on one instance, and unbiased across namespaces; each key is in with
 * probability RATIO independently (Bernoulli sampling), which is what the error bound assumes.
 */
export function createKeySampler(ratio: number): ((key: Buffer) => boolean) | undefined {
  if (ratio >= 1) return undefined;
  const threshold = Math.floor(ratio * 0x1_0000_0000);
  return (key) => fnv1a32(key) < threshold;
}

/** FNV-1a, 32 bit: cheap, well spread for short key names. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Horvitz-Thompson estimate of a total from a Bernoulli sample with inclusion probability p:
 * total ≈ Σ x / p, with estimated variance (1 - p) / p² · Σ x², so the 95% margin is 1.96 σ.
 * For counts (x = 1 per key) pass sum = sumSquares = number of sampled keys.
 */
export function extrapolate(sum: number, sumSquares: number, p: number): Estimate {
  if (p >= 1) return { estimate: sum, margin95: 0 };
  const variance = ((1 - p) / (p * p)) * sumSquares;
  return { estimate: Math.round(sum / p), margin95: Math.round(1.96 * Math.sqrt(variance)) };
}
