import type { Redis } from 'ioredis';

/**
 * A gateway-shaped keyspace (the namespaces of DESIGN.md) holding every type and encoding the
 * server picks by default: strings int/embstr/raw, lists quicklist (and listpack on 7.2+), sets
 * intset/listpack/hashtable, sorted sets listpack/skiplist, hashes listpack/hashtable, streams
 * with consumer groups and pending entries; most namespaces with TTLs, some keys without.
 * Used by the memory --from integration test and the offline e2e tests.
 */
export const EVERY_ENCODING_NAMESPACES = [
  'user:session:{session_id}',
  'rate_limit:api:{ip}:{endpoint}',
  'token:balance:{wallet}:{mint}',
  'user:profile:{user_id}',
  'user:wallet:{user_id}',
  'erc:certificate:{cert_id}',
  'erc:user_certificates:{user_id}',
  'order:{order_id}',
  'orderbook:buy',
  'orderbook:metadata',
  'market:current_epoch',
  'timeseries:prices:{pair}:{period}',
  'settlement:pending',
  'analytics:daily_trading:{date}',
  'stream:trades',
  'stream:orders',
  'lock:{resource}',
] as const;

const order = (i: number, side: 'Buy' | 'Sell') =>
  JSON.stringify({ id: `6f1c${String(i).padStart(4, '0')}-9b1e-4c5e-8a55-0c1d2e3f4a5b`, user_id: `u-${i % 17}`, epoch_id: null, side, energy_amount: '12.5', price: (0.1 + i / 10000).toFixed(4), filled_amount: '0', created_at: '2026-11-27T10:00:00Z', expires_at: '2026-11-28T10:00:00Z' });

/** Write the keyspace; `scale` multiplies the per-namespace key counts (1 = a few hundred keys). */
export async function seedEveryEncoding(client: Redis, scale = 1): Promise<void> {
  const p = client.pipeline();
  for (let i = 0; i < 40 * scale; i++) {
    // embstr; a quarter without TTL (the ephemeral finding)
    if (i % 4 === 0) p.set(`user:session:s${i}`, `{"user_id":"u${i}","role":"trader"}`);
    else p.set(`user:session:s${i}`, `{"user_id":"u${i}","role":"trader"}`, 'EX', 1800 + i);
  }
  for (let i = 0; i < 30 * scale; i++) p.set(`rate_limit:api:10.0.0.${i}:/api/v1/orders`, String(i * 7), 'EX', 600); // int
  for (let i = 0; i < 20 * scale; i++) p.set(`token:balance:W${i}:GRX`, `{"amount":"${i}.25","mint":"GRX","wallet":"W${i}","updated_at":"2026-11-27T10:00:00Z"}`, 'EX', 300); // raw
  for (let i = 0; i < 25 * scale; i++) {
    p.hset(`user:profile:p${i}`, 'id', `p${i}`, 'email', `u${i}@example.org`, 'name', `User ${i}`); // listpack
    if (i % 5) p.expire(`user:profile:p${i}`, 7200);
  }
  for (let i = 0; i < 10 * scale; i++) p.set(`user:wallet:u${i}`, `W${i}`);
  for (let i = 0; i < 3 * scale; i++) {
    const fields: string[] = [];
    for (let f = 0; f < 200; f++) fields.push(`f${f}`, `value-${f}`);
    p.hset(`erc:certificate:c${i}`, ...fields); // hashtable (more than 128 fields)
  }
  for (let i = 0; i < 5 * scale; i++) p.sadd(`erc:user_certificates:u${i}`, 101 + i, 202, 303, 404); // intset
  for (let i = 0; i < 5 * scale; i++) p.sadd(`erc:user_certificates:x${i}`, 'cert-a', 'cert-b'); // listpack on 7.2+, hashtable on 7.0
  for (let i = 0; i < 20 * scale; i++) p.hset(`order:o${i}`, 'data', order(i, i % 2 ? 'Sell' : 'Buy')).expire(`order:o${i}`, 43200); // hashtable: the value is over 64 bytes
  for (let i = 0; i < 300; i++) p.zadd('orderbook:buy', (0.1 + i / 10000).toFixed(4), order(i, 'Buy')); // skiplist
  p.hset('orderbook:metadata', 'best_bid', '0.1299', 'best_ask', '0.2000', 'mid_price', '0.16495', 'spread', '0.0701', 'updated_at', '2026-11-27T10:00:00Z').expire('orderbook:metadata', 86400);
  p.set('market:current_epoch', '4711');
  for (let i = 0; i < 10 * scale; i++) {
    const k = `timeseries:prices:GRX-THB:${i}`;
    for (let j = 0; j < 20; j++) p.zadd(k, 1700000000 + j * 60, `${j}:0.${10 + ((i + j) % 80)}`); // listpack
    p.expire(k, 604800);
  }
  for (let i = 0; i < 200 * scale; i++) p.sadd('settlement:pending', `s-${i}`); // hashtable
  p.rpush('analytics:daily_trading:2026-11-27', ...Array.from({ length: 1000 }, (_, i) => `{"trade":${i},"kwh":"1.5"}`)); // quicklist of several nodes
  for (let i = 0; i < 5 * scale; i++) p.rpush(`analytics:daily_trading:2026-11-${String(i + 1).padStart(2, '0')}`, 'a', 'b', 'c').expire(`analytics:daily_trading:2026-11-${String(i + 1).padStart(2, '0')}`, 604800);
  for (let i = 0; i < 10 * scale; i++) p.set(`lock:order_matching:SYM${i}`, `token-${i}`, 'PX', 300000, 'NX');
  // A dict grows by rehashing one bucket per write, so a set written by SADD alone is still in the
  // middle of it and MEMORY USAGE counts both tables; lookups move the rest, as a running gateway's reads would.
  for (let i = 0; i < 512; i++) p.sismember('settlement:pending', `s-${i}`);
  for (let c = 0; c < 3 * scale; c++) for (let i = 0; i < 256; i++) p.hget(`erc:certificate:c${c}`, `f${i}`);
  await p.exec();
  for (const stream of ['stream:trades', 'stream:orders']) {
    const s = client.pipeline();
    for (let i = 0; i < 200; i++) s.xadd(stream, `${i + 1}-0`, 'payload', `{"seq":${i},"kwh":"1.5"}`);
    s.xgroup('CREATE', stream, 'gateway', '0').xgroup('CREATE', stream, 'audit', '$');
    await s.exec();
    const read = (await client.xreadgroup('GROUP', 'gateway', 'worker-1', 'COUNT', 50, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]>;
    await client.xack(stream, 'gateway', ...read[0]![1].slice(0, 20).map((e) => e[0])); // 30 stay pending
    await client.xreadgroup('GROUP', 'gateway', 'worker-2', 'COUNT', 10, 'STREAMS', stream, '>');
  }
}

/** Where the server writes its RDB (CONFIG GET dir + dbfilename). */
export async function rdbPath(client: Redis): Promise<string> {
  const [, dir] = (await client.config('GET', 'dir')) as string[];
  const [, name] = (await client.config('GET', 'dbfilename')) as string[];
  return `${dir}/${name}`;
}
