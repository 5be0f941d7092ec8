import type { AnyRedis } from '../redis/connect.js';
import { add, compare, formatDecimal, isPositive, midpoint, sub, ZERO, type Decimal } from './decimal.js';
import { parseBookMember, type BookOrder } from './order.js';

export interface PriceLevel {
  price: string;
  /** Sum of remaining quantity (energy_amount - filled_amount), exact. */
  quantity: string;
  orders: number;
}

export interface SideDepth {
  key: string;
  /** ZCARD: every member, live or not. */
  members: number;
  levels: PriceLevel[];
}

/**
 * An order the matching engine would still match: it parses, sits on its own side, has quantity
 * left and has not expired. Depth and best prices count only these; the audit reports the rest.
 */
function isLiveOrder(order: BookOrder, side: 'Buy' | 'Sell', now: number): boolean {
  return order.side === side && isPositive(order.remaining) && (order.expiresAt === undefined || order.expiresAt > now);
}

/**
 * The best `levels` price levels of one side, read from the top of the sorted set in pages
 * (ZREVRANGE for bids, highest first; ZRANGE for asks) and stopping as soon as one more level
 * starts, so the cost does not grow with the size of the book.
 */
export async function readTopLevels(client: AnyRedis, key: string, side: 'Buy' | 'Sell', levels: number, now = Date.now()): Promise<SideDepth> {
  const pageSize = Math.max(64, levels * 8);
  const byPrice = new Map<string, { price: Decimal; quantity: Decimal; orders: number }>();
  const members = await client.zcard(key);
  let start = 0;
  scan: while (start < members) {
    const stop = start + pageSize - 1;
    const page = side === 'Buy' ? await client.zrevrange(key, start, stop) : await client.zrange(key, start, stop);
    if (page.length === 0) break;
    for (const member of page) {
      const parsed = parseBookMember(member);
      if (!parsed.ok || !isLiveOrder(parsed.order, side, now)) continue;
      const o = parsed.order;
      const k = formatDecimal(o.price);
      let level = byPrice.get(k);
      if (!level) {
        if (byPrice.size === levels) break scan;
        level = { price: o.price, quantity: ZERO, orders: 0 };
        byPrice.set(k, level);
      }
      level.quantity = add(level.quantity, o.remaining);
      level.orders++;
    }
    start += pageSize;
  }
  const sorted = [...byPrice.values()].sort((a, b) => (side === 'Buy' ? compare(b.price, a.price) : compare(a.price, b.price)));
  return { key, members, levels: sorted.map((l) => ({ price: formatDecimal(l.price), quantity: formatDecimal(l.quantity), orders: l.orders })) };
}

export interface BookSummary {
  bestBid: string | null;
  bestAsk: string | null;
  spread: string | null;
  mid: string | null;
  crossed: boolean;
}

export function summarizeBook(bids: SideDepth, asks: SideDepth, parse: (s: string) => Decimal | undefined): BookSummary {
  const bid = bids.levels[0] ? parse(bids.levels[0].price) : undefined;
  const ask = asks.levels[0] ? parse(asks.levels[0].price) : undefined;
  return {
    bestBid: bid ? formatDecimal(bid) : null,
    bestAsk: ask ? formatDecimal(ask) : null,
    spread: bid && ask ? formatDecimal(sub(ask, bid)) : null,
    mid: bid && ask ? formatDecimal(midpoint(bid, ask)) : null,
    crossed: Boolean(bid && ask && compare(bid, ask) >= 0),
  };
}
