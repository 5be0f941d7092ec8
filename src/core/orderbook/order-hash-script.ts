import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The order:{id} comparison done next to the data: one short read-only Lua call reads a page of the
 * book, looks up each member's order:{id} hash (field `data`) and returns the page plus only the
 * members whose hash is missing or differs. The client then never issues one HGET per order
 * (ioredis spends more time per command than Redis does), and the hashes' JSON never crosses the
 * wire when it equals the member, which is the normal case: the gateway writes the same text to both.
 *
 * Pages are read in (score, member) order by index, each continuing right after the last member of
 * the previous page (ZRANK of that anchor), not with ZSCAN: ZRANGE by index is about half ZSCAN's
 * server cost, and no member comes twice. A member present for the whole audit is returned exactly
 * once even while the book changes (an order update is a new member; a member's position relative
 * to the anchor never moves). If the anchor itself is removed between two calls, the page restarts
 * at the first member of the anchor's score: nothing is missed, and the repeats are recognised by
 * the audit like ZSCAN's.
 *
 * Limits: the script touches keys it is not given (order:{id} is not known before the page is
 * read), which a standalone or Sentinel-managed server allows but a Cluster does not (other slots,
 * other nodes) — the caller uses ZSCAN and pipelined HGETs there. It needs +evalsha +eval and
 * +zrank +zcount +zrange +hget +time for the user, and Redis >= 7 (the `no-writes` shebang); any
 * error on the first call makes the caller fall back.
 */
const ORDER_HASH_PAGE_LUA = `#!lua flags=no-writes
-- KEYS[1] book (sorted set); ARGV[1] page size, ARGV[2] order key prefix, ARGV[3] anchor member
-- ('' for the first page), ARGV[4] anchor score.
-- Returns {{member, score, ...}, missing, mismatched, unchecked, microseconds, restarted}:
-- missing and unchecked are 1-based positions of members in the flat page; mismatched is
-- position, hash data pairs. Unchecked: no string id found, or the hash could not be read.
local t0 = redis.call('TIME')
local start, restarted = 0, 0
if ARGV[3] == '' then
  -- First page: touch every command a later page may need, so an ACL that lacks one refuses this
  -- first call (and the caller falls back) rather than a call in the middle of the audit.
  redis.call('ZRANK', KEYS[1], '')
  redis.call('ZCOUNT', KEYS[1], 1, 0)
else
  local rank = redis.call('ZRANK', KEYS[1], ARGV[3])
  if rank then
    start = rank + 1
  else
    start = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. ARGV[4])
    restarted = 1
  end
end
local flat = redis.call('ZRANGE', KEYS[1], start, start + tonumber(ARGV[1]) - 1, 'WITHSCORES')
local prefix = ARGV[2]
local missing, mismatched, unchecked = {}, {}, {}
for i = 1, #flat, 2 do
  local member = flat[i]
  -- The gateway serialises the id first: cut it out with plain finds (cheaper than a pattern).
  -- An id with escapes, or another layout, goes through cjson. (A second "id" key is caught by
  -- the client, which then checks that member itself.)
  local id
  if string.sub(member, 1, 7) == '{"id":"' then
    local close = string.find(member, '"', 8, true)
    if close and close > 8 then
      id = string.sub(member, 8, close - 1)
      if string.find(id, '\\\\', 1, true) then id = nil end
    end
  end
  if not id then
    local ok, order = pcall(cjson.decode, member)
    if ok and type(order) == 'table' and type(order.id) == 'string' then id = order.id end
  end
  if not id then
    unchecked[#unchecked + 1] = i
  else
    local data = redis.pcall('HGET', prefix .. id, 'data')
    if type(data) == 'table' then
      unchecked[#unchecked + 1] = i
    elseif not data then
      missing[#missing + 1] = i
    elseif data ~= member then
      mismatched[#mismatched + 1] = i
      mismatched[#mismatched + 1] = data
    end
  end
end
local t1 = redis.call('TIME')
return {flat, missing, mismatched, unchecked, (t1[1] - t0[1]) * 1000000 + (t1[2] - t0[2]), restarted}
`;

const SHA = createHash('sha1').update(ORDER_HASH_PAGE_LUA).digest('hex');

export interface OrderHashPage {
  /** member, score, member, score, ... in book order (ZRANGE WITHSCORES). */
  flat: string[];
  /** The book has no member after this page. */
  last: boolean;
  /** The anchor was gone and the page restarted at its score: some members may come again. */
  restarted: boolean;
  /** Indices into `flat` (of the member) whose order:{id} hash does not exist. */
  missing: Set<number>;
  /** Index into `flat` -> the hash's `data` (differs from the member's text). */
  mismatched: Map<number, string>;
  /** Indices the script could not check (no id it could read, or the HGET failed): check them client-side. */
  unchecked: Set<number>;
  /** Time the call spent in Redis, as measured by the script (TIME before and after). */
  serverMicros: number;
}

/** Where the next page starts: after this member (and its score, for the restart). */
export interface PageAnchor {
  member: string;
  score: string;
}

/** One page of `count` members after `anchor` (the first page without): EVALSHA, and EVAL when the script is not cached (NOSCRIPT). */
export async function readPageWithOrderHashes(client: Redis, key: string, anchor: PageAnchor | undefined, count: number, prefix: string): Promise<OrderHashPage> {
  const args = [1, key, count, prefix, anchor?.member ?? '', anchor?.score ?? ''] as const;
  let reply: unknown;
  try {
    reply = await client.evalsha(SHA, ...args);
  } catch (err) {
    if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
    reply = await client.eval(ORDER_HASH_PAGE_LUA, ...args);
  }
  const [flat, missing, mismatched, unchecked, micros, restarted] = reply as [string[], number[], Array<number | string>, number[], number, number];
  const mismatchMap = new Map<number, string>();
  for (let j = 0; j + 1 < mismatched.length; j += 2) mismatchMap.set(Number(mismatched[j]) - 1, String(mismatched[j + 1]));
  return {
    flat,
    last: flat.length < count * 2,
    restarted: Number(restarted) === 1,
    missing: new Set(missing.map((i) => i - 1)),
    mismatched: mismatchMap,
    unchecked: new Set(unchecked.map((i) => i - 1)),
    serverMicros: Number(micros),
  };
}

/**
 * Size the next page so one call stays near `budgetMicros` of server time (scripts block the
 * server while they run; the gateway's latency target is 1 ms per operation, so a few ms at a
 * time, not a 100 ms stall). Grows and shrinks by at most 2x a step.
 */
export function nextPageCount(count: number, members: number, serverMicros: number, budgetMicros: number): number {
  if (members === 0 || serverMicros <= 0) return Math.min(count * 2, MAX_PAGE_COUNT);
  const perMember = serverMicros / members;
  const wanted = budgetMicros / perMember;
  return Math.round(Math.max(MIN_PAGE_COUNT, Math.min(MAX_PAGE_COUNT, count * 2, Math.max(count / 2, wanted))));
}

export const MIN_PAGE_COUNT = 50;
export const MAX_PAGE_COUNT = 10_000;
