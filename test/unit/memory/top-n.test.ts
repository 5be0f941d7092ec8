import { describe, expect, it } from 'vitest';
import { TopN } from '../../../src/core/memory/top-n.js';

describe('TopN', () => {
  const make = () => new TopN<{ k: string; v: number }>(3, (e) => e.v, (e) => e.k);

  it('keeps the N largest, largest first', () => {
    const t = make();
    for (const [k, v] of [['a', 5], ['b', 1], ['c', 9], ['d', 7], ['e', 3]] as const) t.push({ k, v });
    expect(t.sorted().map((e) => e.k)).toEqual(['c', 'd', 'a']);
    expect(t.size).toBe(3);
  });

  it('keeps the same set whatever the insertion order (ties broken by name)', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ k: `key${String(i).padStart(2, '0')}`, v: i % 4 }));
    const a = make();
    const b = make();
    items.forEach((e) => a.push(e));
    [...items].reverse().forEach((e) => b.push(e));
    expect(a.sorted()).toEqual(b.sorted());
    expect(a.sorted().map((e) => e.k)).toEqual(['key03', 'key07', 'key11']);
  });

  it('wouldKeep says whether an item would enter', () => {
    const t = make();
    [1, 2, 3].forEach((v) => t.push({ k: `k${v}`, v }));
    expect(t.wouldKeep(0, 'x')).toBe(false);
    expect(t.wouldKeep(4, 'x')).toBe(true);
  });
});
