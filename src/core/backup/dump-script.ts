/**
 * The server-side half of a logical backup: one short read-only script per page runs one SCAN
 * step (ARGV: cursor, COUNT, optional MATCH) and DUMP + PEXPIRETIME for every key it returns and returns the page already encoded as archive records
 * (record-codec.ts), except that the type byte holds the payload's RDB object type: the client
 * maps it to the archive type code in place (typeCodeFromPayload), sparing a TYPE call per key. Doing the per-key work on the server takes the Node client out of
 * the per-key loop (a client pipelining DUMP+PTTL per key is CPU-bound at ~58k keys/s).
 *
 * Flags: no-writes (it runs on replicas and under read-only ACLs), allow-cross-slot-keys (a Cluster
 * SCAN page spans slots of one node). Scanning inside the script means one round trip per page, and
 * the next page is requested before the client processes this one, so the server never waits on the client.
 * Keys deleted between SCAN and the script have no DUMP and are left out.
 */
const BODY = (expiry: string) => `
local out = {}
local j = 0
local n = 0
local call = redis.call
local pack = struct.pack
local byte = string.byte
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
    n = n + 1
    -- Pieces go straight into one table and are joined once: no per-key string concatenation.
    out[j + 1] = pack('>BI4', byte(d, 1), #k)
    out[j + 2] = k
    out[j + 3] = pack('>i8I4', e, #d)
    out[j + 4] = d
    j = j + 4
  end
end
local t1 = call('TIME')
-- Server time spent, in microseconds: the client sizes the next page from it.
return {n, table.concat(out), (t1[1] - t0[1]) * 1000000 + (t1[2] - t0[2]), scan[1]}
`;

/** Redis 7+: PEXPIRETIME gives the exact absolute expiry; script flags need the shebang. */
export const DUMP_SCRIPT_7 = `#!lua flags=no-writes,allow-cross-slot-keys\n${BODY('pexpiretime')}`;
/** Redis < 7: no shebang, no PEXPIRETIME; absolute expiry = server TIME + PTTL. */
export const DUMP_SCRIPT_LEGACY = BODY('pttl');

export function dumpScriptFor(serverVersion: string): string {
  return Number(serverVersion.split('.')[0]) >= 7 ? DUMP_SCRIPT_7 : DUMP_SCRIPT_LEGACY;
}
