import { describe, it, expect } from 'vitest';
import v8 from 'node:v8';
import { capYoungGeneration } from '../../src/core/young-generation.js';

const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
const churn = async () => {
  // Objects that survive a scavenge or two (what makes V8 grow new space), then die.
  for (let round = 0; round < 60; round++) {
    let keep: Array<{ a: number; b: string }> = [];
    for (let i = 0; i < 50_000; i++) keep.push({ a: i, b: `x${i}` });
    keep = [];
    await new Promise((r) => setImmediate(r)); // let the perf_hooks gc entries arrive
    void keep;
  }
};

describe('capYoungGeneration', () => {
  it('keeps new space at or below 2 x the semi-space cap while it grows under load', async () => {
    const start = newSpace();
    const uncap = capYoungGeneration(2);
    try {
      await churn();
      expect(newSpace()).toBeLessThanOrEqual(Math.max(start, 4 << 20));
    } finally {
      uncap();
    }
  });
});
