/**
 * The server-side half of a logical backup: one short read-only script per SCAN page does
 * DUMP + PEXPIRETIME for every key and returns the page already encoded as archive records
 * (record-codec.ts), except that the type byte holds the payload's RDB object type: the client
 * maps it to the archive type code in place (typeCodeFromPayload), sparing a TYPE call per key. Doing the per-key work on the server takes the Node client out of
 * the per-key loop (a client pipelining DUMP+PTTL per key is CPU-bound at ~58k keys/s).
 *
 * Flags: no-writes (it runs on replicas and under read-only ACLs), allow-cross-slot-keys (a Cluster
 * SCAN page spans slots of one node; keys are passed as ARGV, never KEYS, for the same reason).
 * Keys deleted between SCAN and the script have no DUMP and are left out.
 */
const BODY = (expiry: string) => `
local out = {}
local n = 0
${expiry === 'pttl' ? "local t = redis.call('TIME')\nlocal now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)" : ''}
for i = 1, #ARGV do
  local k = ARGV[i]
  local d = redis.call('DUMP', k)
  if d then
    ${expiry === 'pttl' ? "local e = redis.call('PTTL', k)\n    if e >= 0 then e = now + e end" : "local e = redis.call('PEXPIRETIME', k)"}
    n = n + 1
    out[n] = struct.pack('>BI4', string.byte(d, 1), #k) .. k .. struct.pack('>i8I4', e, #d) .. d
  end
end
return {n, table.concat(out)}
`;

/** Redis 7+: PEXPIRETIME gives the exact absolute expiry; script flags need the shebang. */
export const DUMP_SCRIPT_7 = `#!lua flags=no-writes,allow-cross-slot-keys\n${BODY('pexpiretime')}`;
/** Redis < 7: no shebang, no PEXPIRETIME; absolute expiry = server TIME + PTTL. */
export const DUMP_SCRIPT_LEGACY = BODY('pttl');

export function dumpScriptFor(serverVersion: string): string {
  return Number(serverVersion.split('.')[0]) >= 7 ? DUMP_SCRIPT_7 : DUMP_SCRIPT_LEGACY;
}
