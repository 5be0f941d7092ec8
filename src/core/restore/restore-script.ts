/**
 * The server-side half of a restore: one short script per batch unpacks archive records
 * (record-codec.ts layout, passed as ONE argument so the client does no per-key argument work)
 * and runs RESTORE ... ABSTTL for each. Per key it returns one status letter:
 *   r restored (and TYPE re-checked against the archive) · s key existed (skip) · e already expired
 *   t restored but TYPE differs · x RESTORE error (key and message follow in the error list)
 * allow-cross-slot-keys: a Cluster batch holds keys of many slots owned by the same node.
 */
export const RESTORE_SCRIPT = `#!lua flags=allow-cross-slot-keys
local mode = ARGV[1]
local now = tonumber(ARGV[2])
local buf = ARGV[3]
local call = redis.call
local pcall_ = redis.pcall
local unpack_ = struct.unpack
local sub = string.sub
local t0 = call('TIME')
local names = {[0]='string', [1]='list', [2]='set', [3]='zset', [4]='hash', [5]='stream'}
local st = {}
local errs = {}
local pos = 1
local n = 0
local len = #buf
while pos <= len do
  local ty, kl, e, pl
  ty, kl, pos = unpack_('>BI4', buf, pos)
  local k = sub(buf, pos, pos + kl - 1)
  pos = pos + kl
  e, pl, pos = unpack_('>i8I4', buf, pos)
  local p = sub(buf, pos, pos + pl - 1)
  pos = pos + pl
  n = n + 1
  if e >= 0 and e <= now then
    st[n] = 'e'
  else
    local ttl = '0'
    if e >= 0 then ttl = string.format('%.0f', e) end
    local r
    if mode == 'replace' then
      r = pcall_('RESTORE', k, ttl, p, 'ABSTTL', 'REPLACE')
    else
      r = pcall_('RESTORE', k, ttl, p, 'ABSTTL')
    end
    if type(r) == 'table' and r['err'] then
      if string.sub(r['err'], 1, 7) == 'BUSYKEY' then
        st[n] = 's'
      else
        st[n] = 'x'
        errs[#errs + 1] = k
        errs[#errs + 1] = r['err']
      end
    else
      local actual = call('TYPE', k)['ok']
      if actual == 'none' and e >= 0 then
        -- RESTORE ... ABSTTL with a time that passed between the client's check and now: not created.
        st[n] = 'e'
      elseif names[ty] and actual ~= names[ty] then
        st[n] = 't'
      else
        st[n] = 'r'
      end
    end
  end
end
local t1 = call('TIME')
return {table.concat(st), errs, (t1[1] - t0[1]) * 1000000 + (t1[2] - t0[2])}
`;

/** Read-only: which of the given keys (ARGV) already exist; returns their 1-based positions. */
export const EXISTS_SCRIPT = `#!lua flags=no-writes,allow-cross-slot-keys
local out = {}
for i = 1, #ARGV do
  if redis.call('EXISTS', ARGV[i]) == 1 then out[#out + 1] = i end
end
return out
`;
