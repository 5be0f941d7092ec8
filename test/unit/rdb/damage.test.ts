import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGridctlError } from '../../../src/core/errors.js';
import { parseRdb } from './rdb-test-helpers.js';

/**
 * A damaged file is one clear error with exit code 6 and a byte offset, never a crash, a hang, an
 * internal error or a silent success: the file cut at many places, and single bits flipped.
 */
const data = readFileSync(path.resolve(__dirname, '../../fixtures/rdb/redis-7.4.1.rdb'));

async function verdict(file: Buffer): Promise<{ code: string; exitCode: number; offset: unknown; message: string } | 'parsed'> {
  try {
    await parseRdb(file, { chunkBytes: 512 });
    return 'parsed';
  } catch (err) {
    if (!isGridctlError(err)) throw err;
    return { code: err.code, exitCode: err.exitCode, offset: err.details?.offset, message: err.message };
  }
}

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('damaged RDB files', () => {
  it('a file cut anywhere is an INTEGRITY error (exit 6) naming where it ends', async () => {
    const cuts = [...Array.from({ length: 300 }, (_, i) => Math.floor((i * data.length) / 300)), ...Array.from({ length: 12 }, (_, i) => data.length - 1 - i)];
    for (const cut of cuts) {
      const v = await verdict(data.subarray(0, cut));
      expect(v, `cut at ${cut}`).toMatchObject({ code: 'INTEGRITY', exitCode: 6 });
      expect(typeof (v as { offset: unknown }).offset, `cut at ${cut}`).toBe('number');
    }
  });

  it('a flipped bit anywhere is refused (exit 6; exit 3 only when the version digits now name an unknown version)', async () => {
    const next = lcg(22);
    for (let i = 0; i < 400; i++) {
      const at = Math.floor(next() * data.length);
      const bad = Buffer.from(data);
      bad[at]! ^= 1 << Math.floor(next() * 8);
      const v = await verdict(bad);
      expect(v, `bit flipped at ${at}`).not.toBe('parsed');
      const r = v as { code: string; exitCode: number; offset: unknown };
      if (at >= 5 && at < 9 && r.code === 'USAGE') continue; // "REDIS0016": a version this build does not know
      expect(r, `bit flipped at ${at}`).toMatchObject({ code: 'INTEGRITY', exitCode: 6 });
      expect(typeof r.offset).toBe('number');
    }
  });
});
