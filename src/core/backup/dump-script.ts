/**
 * The server-side half of a logical backup: one short read-only script per page runs one SCAN
 * step (ARGV: cursor, COUNT, optional MATCH) and DUMP + PEXPIRETIME for every key it returns.
 *
 * Reply: a flat array `{count, server µs, next cursor, key1, expiry1, dump1, key2, ...}`. The
 * archive records are built by the client (record-codec.ts encodePage): Redis runs on one thread
 * and was the bottleneck, while the client's core was mostly idle. Measured on 300k gateway-shaped
 * keys, packing the records in Lua (struct.pack + table.concat) cost ~5.9 µs of Redis CPU per key
 * against ~4.4 µs for this flat array; SCAN + DUMP + PEXPIRETIME alone are ~3.8 µs.
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
const BODY = (expiry: string) => `
local out = {0, 0, 0}
local j = 3
local call = redis.call
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
    out[j + 1] = k
    out[j + 2] = e
    out[j + 3] = d
    j = j + 3
  end
end
local t1 = call('TIME')
out[1] = (j - 3) / 3
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
