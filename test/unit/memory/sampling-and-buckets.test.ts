import { describe, expect, it } from 'vitest';
import { createKeySampler, extrapolate, fnv1a32 } from '../../../src/core/memory/key-sampler.js';
import { ttlBucketIndex } from '../../../src/core/memory/ttl-histogram.js';
import { TTL_BUCKETS } from '../../../src/core/memory/types.js';
import { parseSize, formatBytes } from '../../../src/core/memory/parse-size.js';
import { AdaptiveBatch } from '../../../src/core/memory/adaptive-batch.js';

describe('sampling', () => {
  it('fnv1a32 matches the reference value', () => {
    expect(fnv1a32(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1a32(Buffer.from(''))).toBe(0x811c9dc5);
  });

  it('selects about RATIO of keys, deterministically', () => {
    const sampler = createKeySampler(0.1)!;
    let n = 0;
    for (let i = 0; i < 20000; i++) if (sampler(Buffer.from(`user:session:${i}`))) n++;
    expect(n).toBeGreaterThan(1700);
    expect(n).toBeLessThan(2300);
    expect(sampler(Buffer.from('x:1'))).toBe(sampler(Buffer.from('x:1')));
    expect(createKeySampler(1)).toBeUndefined();
  });

  it('extrapolates with a Horvitz-Thompson margin', () => {
    expect(extrapolate(100, 100, 1)).toEqual({ estimate: 100, margin95: 0 });
    // 100 sampled keys at p = 0.1: estimate 1000, sd = sqrt(0.9/0.01*100) = 94.87
    expect(extrapolate(100, 100, 0.1)).toEqual({ estimate: 1000, margin95: 186 });
  });
});

describe('TTL buckets', () => {
  it('puts PTTL replies in the right bucket', () => {
    const name = (ms: number) => TTL_BUCKETS[ttlBucketIndex(ms)];
    expect(name(-1)).toBe('none');
    expect(name(59_999)).toBe('<1m');
    expect(name(60_000)).toBe('<10m');
    expect(name(3_599_999)).toBe('<1h');
    expect(name(86_400_000)).toBe('<7d');
    expect(name(7 * 86_400_000)).toBe('>=7d');
  });
});

describe('sizes', () => {
  it('parses and formats', () => {
    expect(parseSize('10mb')).toBe(10 * 1024 * 1024);
    expect(parseSize('512kb')).toBe(512 * 1024);
    expect(parseSize(42)).toBe(42);
    expect(() => parseSize('ten')).toThrow(/invalid/);
    expect(formatBytes(1536)).toBe('1.50 KiB');
  });
});

describe('AdaptiveBatch', () => {
  it('sizes batches to the time budget, growing at most 2x per step', () => {
    const b = new AdaptiveBatch(5, 16, 4096, 128);
    b.observe(128, 0.128); // 1 µs per key -> budget allows 5000, growth capped
    expect(b.keys).toBe(256);
    for (let i = 0; i < 40; i++) b.observe(b.keys, b.keys * 0.01); // 10 µs per key
    expect(b.keys).toBeGreaterThan(400);
    expect(b.keys).toBeLessThanOrEqual(500);
  });
});
