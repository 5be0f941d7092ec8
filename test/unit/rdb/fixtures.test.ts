import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DumpPayloadReader } from '../../../src/core/rdb/dump-payload.js';
import { KeyMemoryModel } from '../../../src/core/memory/estimate/key-memory.js';
import { profileFor } from '../../../src/core/memory/estimate/server-profile.js';
import { parseRdb } from './rdb-test-helpers.js';

/**
 * RDB files written by real servers (test/fixtures/rdb/README.md): every key the server listed is
 * parsed with the type, OBJECT ENCODING, element count, expiry and field TTLs the server reported,
 * and so is its DUMP payload. CI has Redis 7.0 only; these carry 7.2, 7.4, 8.0 and Valkey 8.
 */
const dir = path.resolve(__dirname, '../../fixtures/rdb');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.rdb')).map((f) => f.slice(0, -4));

interface Truth {
  version: string;
  keys: Record<string, { db: number; type: string; encoding: string; elements: number; expireAt: number; length?: number; fieldsWithTtl?: number; dump: string }>;
}

describe.each(fixtures)('fixture %s', (name) => {
  const data = readFileSync(path.join(dir, `${name}.rdb`));
  const truth = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Truth;

  it('parses every key as the server described it, and verifies the CRC-64', async () => {
    const { facts, keys } = await parseRdb(data);
    expect(facts.checksum).toBe('verified');
    expect(facts.functionLibraries).toBe(1);
    for (const [key, want] of Object.entries(truth.keys)) {
      const got = keys.get(`${want.db}:${key}`);
      expect(got, key).toBeDefined();
      expect({ key, type: got!.type, encoding: got!.encoding, elements: got!.elements, expireAt: got!.expireAt }).toEqual({ key, type: want.type, encoding: want.encoding, elements: want.elements, expireAt: want.expireAt });
      if (want.length !== undefined) expect(got!.length, key).toBe(want.length);
      if (want.fieldsWithTtl !== undefined) expect(got!.fieldsWithTtl, key).toBe(want.fieldsWithTtl);
    }
    // Only a key that had already expired when the server listed its keys may be extra.
    const savedAt = Number(facts.aux.ctime) * 1000;
    for (const [id, k] of keys) if (!truth.keys[id.slice(id.indexOf(':') + 1)]) expect(k.expireAt, id).toBeLessThan(savedAt + 1000);
  });

  it('gives the same answers read through a window of a few bytes (every unit resumes)', async () => {
    const whole = await parseRdb(data);
    for (const chunkBytes of [1, 7, 64]) {
      const small = await parseRdb(data, { chunkBytes, maxWindowBytes: 64 << 10 });
      expect([...small.keys.entries()]).toEqual([...whole.keys.entries()]);
    }
  });

  it('reads each key\'s DUMP payload as the same value', () => {
    const model = new KeyMemoryModel(profileFor(name.startsWith('valkey') ? 'valkey' : 'redis', truth.version));
    const reader = new DumpPayloadReader(model);
    for (const [key, want] of Object.entries(truth.keys)) {
      const payload = Buffer.from(want.dump, 'hex');
      const v = reader.read(payload, 0, payload.length, key);
      expect({ key, type: v.type, encoding: model.encodingOf(v), elements: v.elements }).toEqual({ key, type: want.type, encoding: want.encoding, elements: want.elements });
    }
  });
});
