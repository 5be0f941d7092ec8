import type { Redis } from 'ioredis';
import { KEY_TYPES } from './types.js';

const SIZE_COMMAND: Record<string, string> = { list: 'llen', set: 'scard', zset: 'zcard', hash: 'hlen', stream: 'xlen' };

/**
 * The fallback when the user may not run EVAL (ACL) or --technique pipeline: the same numbers
 * as the script, fetched with plain pipelined commands. One pipeline for TYPE, MEMORY USAGE and
 * PTTL, a second for the element counts of collections (whose command depends on the type).
 * Client-bound (several commands per key), so several times slower than the script on big sets.
 */
export async function runKeyStatsPipeline(client: Redis, keys: Buffer[], samples: number): Promise<Float64Array> {
  const values = new Float64Array(keys.length * 4);
  const first = client.pipeline();
  for (const key of keys) {
    first.type(key);
    first.call('MEMORY', 'USAGE', key, 'SAMPLES', samples);
    first.pttl(key);
  }
  const replies = (await first.exec()) ?? [];
  const sizes = client.pipeline();
  const sizeIndexes: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    for (let j = 0; j < 3; j++) {
      const err = replies[i * 3 + j]?.[0];
      if (err) throw err;
    }
    const type = String(replies[i * 3]?.[1]);
    if (type === 'none') {
      values.set([0, 0, -2, 0], i * 4);
      continue;
    }
    const code = KEY_TYPES.indexOf(type as (typeof KEY_TYPES)[number]);
    values[i * 4] = code >= 0 ? code + 1 : KEY_TYPES.length;
    values[i * 4 + 1] = Number(replies[i * 3 + 1]?.[1] ?? 0);
    values[i * 4 + 2] = Number(replies[i * 3 + 2]?.[1]);
    const sizeCommand = SIZE_COMMAND[type];
    if (sizeCommand) {
      sizes.call(sizeCommand, keys[i]!);
      sizeIndexes.push(i);
    }
  }
  if (sizeIndexes.length) {
    const sizeReplies = (await sizes.exec()) ?? [];
    sizeIndexes.forEach((keyIndex, n) => {
      const [err, value] = sizeReplies[n] ?? [];
      // The key changed type between the two pipelines: count no elements rather than fail.
      if (err && !/^WRONGTYPE/.test(err.message)) throw err;
      values[keyIndex * 4 + 3] = Number(value);
    });
  }
  return values;
}
