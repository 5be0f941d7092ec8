import { describe, expect, it } from 'vitest';
import { RaxShape } from '../../../src/core/rdb/rax-shape.js';

/** A stream ID as the rax stores it: milliseconds and sequence, big-endian. */
const id = (ms: number, seq: number) => {
  const b = Buffer.alloc(16);
  b.writeBigUInt64BE(BigInt(ms), 0);
  b.writeBigUInt64BE(BigInt(seq), 8);
  return b;
};

const shape = (ids: Buffer[]) => {
  const rax = new RaxShape(16);
  for (const k of ids) rax.add(k, 0);
  return rax.nodes;
};

describe('RaxShape: nodes of a rax of stream IDs, as XINFO STREAM radix-tree-nodes says', () => {
  it('empty: the root alone; one key: the root compressed over it and its end', () => {
    expect(shape([])).toBe(1);
    expect(shape([id(1, 0)])).toBe(2);
  });
  it('IDs 1-0 and 101-0 (two stream nodes of 100 entries): 6, as Redis 7.0.15 reports', () => {
    expect(shape([id(1, 0), id(101, 0)])).toBe(6);
  });
  it('IDs apart in their milliseconds: a branch, then per key a compressed tail and its end', () => {
    expect(shape(Array.from({ length: 40 }, (_, i) => id(21 + i, 0)))).toBe(82);
  });
  it('IDs of one millisecond (XADD * in a burst): one leaf per key under one branch', () => {
    expect(shape(Array.from({ length: 100 }, (_, i) => id(1_700_000_000_000, i)))).toBe(102);
  });
  it('a repeated key adds nothing; reset starts over', () => {
    const rax = new RaxShape(16);
    rax.add(id(5, 0), 0);
    rax.add(id(5, 0), 0);
    expect(rax.nodes).toBe(2);
    rax.reset();
    expect(rax.nodes).toBe(1);
    rax.add(id(5, 0), 0);
    rax.add(id(6, 0), 0);
    expect(rax.nodes).toBe(6);
  });
});
