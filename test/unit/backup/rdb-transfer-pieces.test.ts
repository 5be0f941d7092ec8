import { describe, it, expect } from 'vitest';
import { splitLast } from '../../../src/core/backup/rdb-fetch.js';
import { WriteBehind } from '../../../src/core/fs/write-behind.js';

describe('RDB transfer: the held-back end-of-transfer mark', () => {
  const stream = Buffer.from('REDIS0010' + 'x'.repeat(100) + 'M'.repeat(40));

  it('splitLast gives the last 40 bytes and everything before them, however the bytes arrived', () => {
    for (let a = 0; a <= stream.length; a++) {
      for (const b of [a, Math.min(stream.length, a + 1), Math.min(stream.length, a + 39), stream.length]) {
        const pieces = [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)];
        const { before, last } = splitLast(pieces, 40);
        expect(last?.toString()).toBe('M'.repeat(40));
        expect(Buffer.concat(before).equals(stream.subarray(0, stream.length - 40))).toBe(true);
      }
    }
  });

  it('fewer than 40 bytes: nothing is split off', () => {
    const { before, last } = splitLast([Buffer.from('abc'), Buffer.from('def')], 40);
    expect(last).toBeUndefined();
    expect(Buffer.concat(before).toString()).toBe('abcdef');
  });
});

describe('WriteBehind', () => {
  it('writes batches in order while the caller goes on, and waits only above its limit', async () => {
    const written: string[] = [];
    const gates: Array<() => void> = [];
    const w = new WriteBehind(async (batch) => {
      await new Promise<void>((r) => gates.push(r));
      written.push(Buffer.concat(batch).toString());
    }, 10);
    await w.push([Buffer.from('aaaa')]); // 4 bytes waiting: returns at once
    await w.push([Buffer.from('bb'), Buffer.from('bb')]); // 8
    let third = false;
    const p = w.push([Buffer.from('cccc')]).then(() => (third = true)); // 12 > 10: waits for the oldest
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    gates.shift()!();
    await p;
    expect(third).toBe(true);
    const flushed = w.flush();
    while (written.length < 3) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await flushed;
    expect(written).toEqual(['aaaa', 'bbbb', 'cccc']);
  });

  it('gathers pushes until the batch size, writes them as one batch, and flush writes the rest', async () => {
    const batches: string[][] = [];
    const w = new WriteBehind(async (batch) => {
      batches.push(batch.map((b) => b.toString()));
    }, 1 << 20, 10);
    await w.push([Buffer.from('aaaa')]);
    await w.push([Buffer.from('bbbb')]);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([]); // 8 bytes gathered: below the batch size, nothing written yet
    await w.push([Buffer.from('cc'), Buffer.from('dd')]); // 12: one write of all four
    await w.push([Buffer.from('e')]);
    await w.flush();
    expect(batches).toEqual([['aaaa', 'bbbb', 'cc', 'dd'], ['e']]);
  });

  it('a failed write fails the next push and flush, and nothing after it is written', async () => {
    const written: string[] = [];
    const w = new WriteBehind(async (batch) => {
      const s = Buffer.concat(batch).toString();
      if (s === 'bad') throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      written.push(s);
    }, 1 << 20);
    await w.push([Buffer.from('ok')]);
    await w.push([Buffer.from('bad')]);
    await w.push([Buffer.from('after')]).catch(() => undefined);
    await expect(w.flush()).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(written).toEqual(['ok']);
  });
});
