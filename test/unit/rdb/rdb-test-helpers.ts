import { bufferSource } from '../../../src/core/rdb/file-source.js';
import { RdbParser, type ParseOptions } from '../../../src/core/rdb/parser.js';
import type { RdbFileFacts } from '../../../src/core/rdb/opcodes.js';
import { KeyMemoryModel } from '../../../src/core/memory/estimate/key-memory.js';
import { serverProfile } from '../../../src/core/memory/estimate/server-profile.js';

/** What a test compares about one parsed key. */
export interface ParsedKey {
  db: number;
  type: string;
  encoding: string;
  elements: number;
  length: number;
  expireAt: number;
  fieldsWithTtl: number;
  storedBytes: number;
  bytes: number;
}

/** Parse a whole RDB held in memory; keys by "db:name". */
export async function parseRdb(data: Buffer, opts: ParseOptions = {}): Promise<{ facts: RdbFileFacts; keys: Map<string, ParsedKey> }> {
  const keys = new Map<string, ParsedKey>();
  // eslint-disable-next-line prefer-const
  let parser: RdbParser;
  const model = new KeyMemoryModel(() => serverProfile(parser.fileFacts.aux));
  parser = new RdbParser(
    bufferSource(data),
    (k) => {
      const v = k.value;
      keys.set(`${k.db}:${k.keyBytes.toString('utf8', 0, k.keyLength)}`, {
        db: k.db, type: v.type, encoding: model.encodingOf(v), elements: v.elements, length: v.length, expireAt: k.expireAt,
        fieldsWithTtl: v.fieldsWithTtl, storedBytes: v.storedBytes, bytes: model.estimate(k.keyLength, v, 0),
      });
    },
    { observer: model, ...opts },
  );
  const facts = await parser.run();
  return { facts, keys };
}

/** Run `fn` and return the error it throws (the test fails if it does not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error & { code?: string; exitCode?: number; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error');
}
