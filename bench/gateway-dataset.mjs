// Seeds a deterministic, gateway-shaped dataset (the namespaces of DESIGN.md) for benchmarks.
// The per-key work runs server-side in short Lua batches, so seeding 1M keys takes seconds, not
// minutes. Standalone servers only (a script may only touch one cluster slot).

const SEED_SCRIPT = `
local from = tonumber(ARGV[1])
local to = tonumber(ARGV[2])
local pad = string.rep('x', 40)
for i = from, to do
  local b = i % 100
  local id = string.format('%08x-%04x-4%03x-a%03x-%012x', i * 2654435761 % 4294967296, i % 65536, i % 4096, (i * 7) % 4096, i)
  if b < 25 then
    redis.call('SET', 'user:session:' .. id, '{"user_id":"' .. id .. '","role":"trader","ip":"10.0.' .. (i % 250) .. '.' .. (i % 200) .. '","ua":"' .. pad .. '"}', 'EX', 86400)
  elseif b < 40 then
    local k = 'user:profile:' .. id
    redis.call('HSET', k, 'id', id, 'email', 'user' .. i .. '@example.org', 'name', 'User ' .. i, 'role', 'prosumer', 'wallet', 'W' .. id, 'created_at', '2026-01-01T00:00:00Z')
    if b < 38 then redis.call('EXPIRE', k, 3600) end
  elseif b < 55 then
    redis.call('SET', 'rate_limit:api:10.' .. (i % 250) .. '.' .. (i % 199) .. '.' .. (i % 97) .. ':/api/v1/orders:' .. i, tostring(i % 100), 'EX', 60)
  elseif b < 65 then
    redis.call('SET', 'token:balance:W' .. id .. ':GRX', tostring((i * 37) % 100000) .. '.25', 'EX', 300)
  elseif b < 80 then
    redis.call('HSET', 'order:' .. id, 'data', '{"id":"' .. id .. '","user_id":"' .. id .. '","epoch_id":null,"side":"' .. ((i % 2 == 0) and 'Buy' or 'Sell') .. '","energy_amount":"12.5","price":"0.' .. (10 + i % 80) .. '","filled_amount":"0","created_at":"2026-11-27T10:00:00Z","expires_at":"2026-11-28T10:00:00Z"}')
    redis.call('EXPIRE', 'order:' .. id, 86400)
  elseif b < 85 then
    redis.call('HSET', 'erc:certificate:' .. id, 'id', id, 'owner', 'W' .. id, 'kwh', tostring(i % 1000), 'issued_at', '2026-11-01T00:00:00Z')
  elseif b < 90 then
    local k = 'analytics:user_activity:' .. id
    redis.call('HSET', k, 'logins', tostring(i % 50), 'orders', tostring(i % 20), 'last_seen', '2026-11-27T09:00:00Z')
    redis.call('EXPIRE', k, 604800)
  elseif b < 95 then
    local k = 'timeseries:prices:GRX-THB:' .. i
    for j = 1, 20 do redis.call('ZADD', k, 1700000000 + j * 60, tostring(j) .. ':0.' .. (10 + (i + j) % 80)) end
    redis.call('EXPIRE', k, 604800)
  elseif b < 97 then
    redis.call('HSET', 'settlement:' .. id, 'id', id, 'amount', tostring(i % 9999), 'status', 'pending')
  elseif b < 98 then
    redis.call('SET', 'lock:order_matching:SYM' .. i, id, 'EX', 30)
  else
    redis.call('SET', 'user:wallet:' .. id, 'W' .. id)
  end
end
return to - from + 1
`;

/**
 * Seed `keys` keys (approximately; a few large keys are added on top: two order-book sorted sets,
 * their metadata, and four streams with a consumer group and pending entries).
 */
export async function seedGatewayDataset(client, { keys = 1_000_000, batch = 5000, bigKeys = true, onProgress } = {}) {
  const sha = await client.script('LOAD', SEED_SCRIPT);
  for (let from = 0; from < keys; from += batch) {
    const to = Math.min(keys, from + batch) - 1;
    await client.evalsha(sha, 0, from, to);
    onProgress?.(to + 1, keys);
  }
  if (!bigKeys) return;
  const book = client.pipeline();
  for (let i = 0; i < 20000; i++) {
    const side = i % 2 === 0 ? 'buy' : 'sell';
    const price = side === 'buy' ? 0.1 + (i % 500) / 10000 : 0.2 + (i % 500) / 10000;
    const order = { id: `o-${i}`, user_id: `u-${i % 977}`, epoch_id: null, side: side === 'buy' ? 'Buy' : 'Sell', energy_amount: '12.5', price: price.toFixed(4), filled_amount: '0', created_at: '2026-11-27T10:00:00Z', expires_at: '2026-11-28T10:00:00Z' };
    book.zadd(`orderbook:${side}`, price.toFixed(4), JSON.stringify(order));
  }
  book.hset('orderbook:metadata', { best_bid: '0.1499', best_ask: '0.2000', mid_price: '0.17495', spread: '0.0501', updated_at: '2026-11-27T10:00:00Z' });
  book.expire('orderbook:metadata', 86400);
  await book.exec();
  for (const stream of ['stream:trades', 'stream:orders', 'stream:settlements', 'stream:meter_readings']) {
    const p = client.pipeline();
    for (let i = 0; i < 5000; i++) p.xadd(stream, '*', 'payload', `{"seq":${i},"kwh":"1.5"}`);
    p.xgroup('CREATE', stream, 'gateway', '0');
    await p.exec();
    await client.xreadgroup('GROUP', 'gateway', 'worker-1', 'COUNT', 100, 'STREAMS', stream, '>');
  }
}
