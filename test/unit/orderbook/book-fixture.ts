import type { AnyRedis } from '../../../src/core/redis/connect.js';
import { LAYOUT_KEYS, type BookLayout } from '../../../src/core/orderbook/layout.js';

/**
 * A small seeded order book with known figures, shared by the order-book integration and e2e tests.
 * Live depth (exact decimals; floats would give 0.30000000000000004 for the 0.17 level):
 *   bids 0.15: 7.6 (2 orders) · 0.14: 5.1 (2) · 0.1: 3.3 (1)
 *   asks 0.16: 3 (1) · 0.17: 0.3 (2) · 0.2: 12.5 (1)
 *   best bid 0.15, best ask 0.16, spread 0.01, mid 0.155
 */
export const EXPECTED_DEPTH = {
  bids: [
    { price: '0.15', quantity: '7.6', orders: 2 },
    { price: '0.14', quantity: '5.1', orders: 2 },
    { price: '0.1', quantity: '3.3', orders: 1 },
  ],
  asks: [
    { price: '0.16', quantity: '3', orders: 1 },
    { price: '0.17', quantity: '0.3', orders: 2 },
    { price: '0.2', quantity: '12.5', orders: 1 },
  ],
  summary: { bestBid: '0.15', bestAsk: '0.16', spread: '0.01', mid: '0.155', crossed: false },
};

const FUTURE = new Date(Date.now() + 86_400_000).toISOString();
const PAST = new Date(Date.now() - 3_600_000).toISOString();

export interface FixtureOrder {
  id: string;
  user_id: string;
  epoch_id: null;
  side: 'Buy' | 'Sell';
  energy_amount: string;
  price: string;
  filled_amount: string;
  created_at: string;
  expires_at: string;
}

export function order(id: string, side: 'Buy' | 'Sell', price: string, energy: string, filled = '0', expiresAt = FUTURE): FixtureOrder {
  return { id, user_id: `user-${id}`, epoch_id: null, side, energy_amount: energy, price, filled_amount: filled, created_at: '2026-11-27T10:00:00Z', expires_at: expiresAt };
}

export const CLEAN_BIDS = [
  order('b1', 'Buy', '0.15', '10', '2.5'),
  order('b2', 'Buy', '0.15', '0.1'),
  order('b3', 'Buy', '0.14', '0.2', '0.1'),
  order('b4', 'Buy', '0.14', '5'),
  order('b5', 'Buy', '0.1', '3.3'),
];
export const CLEAN_ASKS = [order('a1', 'Sell', '0.16', '4', '1'), order('a2', 'Sell', '0.17', '0.1'), order('a3', 'Sell', '0.17', '0.2'), order('a4', 'Sell', '0.2', '12.5')];

/** Seed the clean book in one layout: both sides, order:{id} hashes (TTL 24h), metadata (hash or JSON string, TTL 24h). */
export async function seedBook(client: AnyRedis, layout: BookLayout, opts: { metadata?: Record<string, string> } = {}): Promise<typeof LAYOUT_KEYS.orderbook> {
  const keys = LAYOUT_KEYS[layout];
  for (const o of CLEAN_BIDS) await addOrder(client, keys.buy, o);
  for (const o of CLEAN_ASKS) await addOrder(client, keys.sell, o);
  const meta = opts.metadata ?? { best_bid: '0.15', best_ask: '0.16', mid_price: '0.155', spread: '0.01', updated_at: new Date().toISOString() };
  if (layout === 'orderbook') await client.hset(keys.metadata, meta);
  else await client.set(keys.metadata, JSON.stringify(meta));
  await client.expire(keys.metadata, 86_400);
  return keys;
}

export async function addOrder(client: AnyRedis, key: string, o: FixtureOrder, opts: { score?: string; hash?: boolean | FixtureOrder } = {}): Promise<void> {
  await client.zadd(key, opts.score ?? o.price, JSON.stringify(o));
  if (opts.hash === false) return;
  const data = typeof opts.hash === 'object' ? opts.hash : o;
  await client.hset(`order:${o.id}`, 'data', JSON.stringify(data));
  await client.expire(`order:${o.id}`, 86_400);
}

/** One of each defect the audit must find, planted into an already seeded book. */
export async function plantDefects(client: AnyRedis, keys: { buy: string; sell: string }): Promise<void> {
  await client.zadd(keys.buy, '0.13', 'not json {');
  await addOrder(client, keys.buy, order('d-score', 'Buy', '0.12', '1'), { score: '0.11' });
  await addOrder(client, keys.buy, order('d-side', 'Sell', '0.09', '1'));
  await addOrder(client, keys.buy, order('d-expired', 'Buy', '0.08', '1', '0', PAST));
  await addOrder(client, keys.sell, order('d-filled', 'Sell', '0.3', '2', '2'));
  await addOrder(client, keys.sell, order('d-dup', 'Sell', '0.31', '1'));
  await addOrder(client, keys.sell, order('d-dup', 'Sell', '0.31', '1', '0.5'));
  await addOrder(client, keys.sell, order('d-nohash', 'Sell', '0.32', '1'), { hash: false });
  await addOrder(client, keys.sell, order('d-disagree', 'Sell', '0.33', '1'), { hash: order('d-disagree', 'Sell', '0.33', '1', '0.75') });
  // Crossed: a live bid above the best ask (0.16).
  await addOrder(client, keys.buy, order('d-cross', 'Buy', '0.5', '1'));
}
