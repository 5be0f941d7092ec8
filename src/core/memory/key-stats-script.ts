import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { KEY_TYPES, type KeyType } from './types.js';

/**
 * The per-key work done on the server, one call per batch of SCANned keys: for each key its type,
 * MEMORY USAGE, PTTL and (for collections) element count, returned as ONE flat string of numbers.
 * A Node client sending one command per key is client-bound (about 6 µs of client CPU each); this
 * moves that work into the server, where each batch costs a few ms.
 *
 * Redis 7 semantics this relies on (src/script.c, tests/unit/cluster/scripting.tcl):
 * - `no-writes` lets it run on read-only replicas and while the server is over maxmemory;
 * - keys go in ARGV, not KEYS: declared KEYS of one EVAL must hash to one slot (CROSSSLOT), while
 *   keys reached from inside the script only have to be served by this node (checked per call,
 *   with the caller's READONLY flag copied, so replicas work) ...
 * - ... and a script with a shebang refuses keys of different slots unless `allow-cross-slot-keys`.
 * The reply is a flat array of integers, 4 per key: type code, bytes, pttl, elements (RESP integers
 * cost less than one string concatenated in Lua).
 */
const KEY_STATS_SCRIPT = `#!lua flags=no-writes,allow-cross-slot-keys
local call = redis.call
local samples = ARGV[1]
local codes = { none = 0, string = 1, list = 2, set = 3, zset = 4, hash = 5, stream = 6 }
local sizeCommand = { list = 'LLEN', set = 'SCARD', zset = 'ZCARD', hash = 'HLEN', stream = 'XLEN' }
local out = {}
local j = 0
for i = 2, #ARGV do
  local key = ARGV[i]
  local t = call('TYPE', key)['ok']
  local n = 0
  local sc = sizeCommand[t]
  if sc then n = call(sc, key) end
  out[j + 1] = codes[t] or 7
  out[j + 2] = call('MEMORY', 'USAGE', key, 'SAMPLES', samples) or 0
  out[j + 3] = call('PTTL', key)
  out[j + 4] = n
  j = j + 4
end
return out
`;

const KEY_STATS_SHA = createHash('sha1').update(KEY_STATS_SCRIPT).digest('hex');

/** 0 = the key vanished between SCAN and the script; 1.. = KEY_TYPES[code - 1]. */
export function typeFromCode(code: number): KeyType | undefined {
  if (code <= 0) return undefined;
  return KEY_TYPES[Math.min(code, KEY_TYPES.length) - 1];
}


/** Check and convert the script's reply: a flat integer array, 4 per key. */
function toKeyStatsValues(reply: unknown, keyCount: number): Float64Array {
  if (!Array.isArray(reply) || reply.length !== keyCount * 4) {
    throw new Error(`key stats script returned ${Array.isArray(reply) ? reply.length : typeof reply} values for ${keyCount} keys`);
  }
  return Float64Array.from(reply as number[]);
}

/** Run the script on one batch: EVALSHA, loading it with EVAL when the node does not know it yet. */
export async function runKeyStatsScript(client: Redis, keys: Buffer[], samples: number): Promise<Float64Array> {
  let reply: unknown;
  try {
    reply = await client.evalsha(KEY_STATS_SHA, 0, samples, ...keys);
  } catch (err) {
    if (!/^NOSCRIPT/.test(String((err as Error).message))) throw err;
    reply = await client.eval(KEY_STATS_SCRIPT, 0, samples, ...keys);
  }
  return toKeyStatsValues(reply, keys.length);
}
