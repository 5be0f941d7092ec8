/**
 * The server-side half of a logical backup: one short read-only script per page runs one SCAN
 * step (ARGV: cursor, COUNT, optional MATCH) and DUMP + PEXPIRETIME for every key it returns.
 *
 * Reply: `{count, server µs, next cursor}`, then for every group of up to GROUP_KEYS keys the
 * integers `key length, expiry, payload length` of each key followed by ONE bulk string, the
 * group's keys and payloads concatenated (key1 payload1 key2 payload2 ...). The archive records are
 * built by the client (record-codec.ts pageRecords). Why this shape (measured, 300k gateway-shaped
 * keys, Redis CPU per key from INFO cpu):
 * - a flat array of bulk strings (key, expiry, payload per key) costs ~4.6 µs/key, but the client
 *   gets two small Buffer objects per key, which pushed its peak RSS to ~165 MB at 1M keys (V8
 *   old space filling with promoted reply objects between mark-compacts);
 * - this grouped reply costs ~4.75 µs/key (+2-3%) and gives the client one Buffer per 16 keys and
 *   plain small integers; one table.concat of the whole page instead costs ~5.3 µs/key (Lua's
 *   buffer merges copy a long string many times), and packing each record with struct.pack ~5.9.
 * SCAN + DUMP + PEXPIRETIME alone are ~3.8 µs.
 *
 * Doing the per-key work on the server still takes the client out of per-key round trips (a client
 * pipelining DUMP+PTTL per key is CPU-bound at ~58k keys/s). The key type comes from the payload's
 * first byte (typeCodeFromPayload), sparing a TYPE call per key.
 *
 * Flags: no-writes (it runs on replicas and under read-only ACLs), allow-cross-slot-keys (a Cluster
 * SCAN page spans slots of one node). Scanning inside the script means one round trip per page, and
 * the next page is requested before the client processes this one, so the server never waits on the client.
 * Keys deleted between SCAN and DUMP have no DUMP and are left out.
 */
/** Keys per concatenated bulk string of the reply. */
export const GROUP_KEYS = 16;

const BODY = (expiry: string) => `
local out = {0, 0, 0}
local m = 3
local body = {}
local b = 0
local n = 0
local call = redis.call
local concat = table.concat
local t0 = call('TIME')
${expiry === 'pttl' ? "local now = tonumber(t0[1]) * 1000 + math.floor(tonumber(t0[2]) / 1000)" : ''}
local scan
if ARGV[3] then
  scan = call('SCAN', ARGV[1], 'COUNT', ARGV[2], 'MATCH', ARGV[3])
else
  scan = call('SCAN', ARGV[1], 'COUNT', ARGV[2])
end
local keys = scan[2]
for i = 1, #keys do
  local k = keys[i]
  local d = call('DUMP', k)
  if d then
    ${expiry === 'pttl' ? "local e = call('PTTL', k)\n    if e >= 0 then e = now + e end" : "local e = call('PEXPIRETIME', k)"}
    out[m + 1] = #k
    out[m + 2] = e
    out[m + 3] = #d
    m = m + 3
    body[b + 1] = k
    body[b + 2] = d
    b = b + 2
    n = n + 1
    if b >= ${2 * GROUP_KEYS} then
      m = m + 1
      out[m] = concat(body, '', 1, b)
      b = 0
    end
  end
end
if b > 0 then
  m = m + 1
  out[m] = concat(body, '', 1, b)
end
local t1 = call('TIME')
out[1] = n
-- Server time spent, in microseconds: the client sizes the next page from it.
out[2] = (t1[1] - t0[1]) * 1000000 + (t1[2] - t0[2])
out[3] = scan[1]
return out
`;

/** Redis 7+: PEXPIRETIME gives the exact absolute expiry; script flags need the shebang. */
export const DUMP_SCRIPT_7 = `#!lua flags=no-writes,allow-cross-slot-keys\n${BODY('pexpiretime')}`;
/** Redis < 7: no shebang, no PEXPIRETIME; absolute expiry = server TIME + PTTL. */
export const DUMP_SCRIPT_LEGACY = BODY('pttl');

export function dumpScriptFor(serverVersion: string): string {
  return Number(serverVersion.split('.')[0]) >= 7 ? DUMP_SCRIPT_7 : DUMP_SCRIPT_LEGACY;
}
