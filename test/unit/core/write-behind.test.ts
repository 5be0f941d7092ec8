import { describe, it, expect } from 'vitest';
import { WriteBehind } from '../../../src/core/fs/write-behind.js';

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

  it('says it is backlogged while more than its limit waits, before the push is awaited', async () => {
    const gates: Array<() => void> = [];
    const w = new WriteBehind(() => new Promise<void>((r) => gates.push(r)), 10);
    void w.push([Buffer.from('aaaaaa')]);
    expect(w.backlogged).toBe(false); // 6 of 10
    const second = w.push([Buffer.from('bbbbbb')]);
    expect(w.backlogged).toBe(true); // 12 > 10: the second push waits for the first write
    while (gates.length < 1) await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await second;
    expect(w.backlogged).toBe(false);
    const flushed = w.flush();
    while (gates.length < 1) await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await flushed;
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
