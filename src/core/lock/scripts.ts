/**
 * The Lua scripts that make extend and release safe: each compares the token and acts in one
 * atomic step, so a holder whose lock already expired and was taken by someone else can never
 * extend or delete the new holder's lock. (A GET followed by a DEL from the client could.)
 *
 * Commands the scripts call must be allowed to the ACL user as well as EVAL itself (Redis checks
 * ACLs for commands run inside scripts): extend GET + PEXPIRE; release TYPE + GET + HEXISTS + DEL;
 * force release TYPE + GET + HLEN + HEXISTS + DEL.
 */

/** KEYS[1] lock key, ARGV[1] token, ARGV[2] TTL in ms -> 1 extended, 0 not ours (or gone). */
export const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/**
 * KEYS[1] lock key, ARGV[1] token -> 1 released, 0 held by another token, -1 no such lock.
 * A string lock matches on its value; a Redisson hash lock on its `UUID:threadId` field.
 */
export const RELEASE_SCRIPT = `
local t = redis.call('TYPE', KEYS[1]).ok
if t == 'none' then return -1 end
if t == 'string' then
  if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
  return 0
end
if t == 'hash' then
  if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return redis.call('DEL', KEYS[1]) end
  return 0
end
return 0
`;

/**
 * Forced release: KEYS[1] lock key, ARGV[1] the type the operator saw, then for a string its
 * token, for a hash every field name (compared as a set, so no collation-dependent sort in Lua)
 * -> 1 removed, 0 it changed hands since, -1 already gone. Comparing keeps a forced release from
 * removing a lock that a new holder took while the operator was reading the prompt.
 */
export const FORCE_RELEASE_SCRIPT = `
local t = redis.call('TYPE', KEYS[1]).ok
if t == 'none' then return -1 end
if t ~= ARGV[1] then return 0 end
if t == 'string' then
  if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
elseif t == 'hash' then
  if redis.call('HLEN', KEYS[1]) ~= #ARGV - 1 then return 0 end
  for i = 2, #ARGV do
    if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 then return 0 end
  end
end
return redis.call('DEL', KEYS[1])
`;
