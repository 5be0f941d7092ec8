import type { AnyRedis } from '../redis/connect.js';
import { compare, formatDecimal, isPositive } from './decimal.js';
import { parseBookMember, type BookOrder } from './order.js';
import type { FindingCollector } from './checks.js';
import type { BookKeys } from './layout.js';

export interface MemberAuditStats {
  /** Distinct members seen per side (ZSCAN may return one twice; repeats are not counted). */
  buy: number;
  sell: number;
  orderHashesChecked: number;
}

/**
 * What tells a ZSCAN repeat (the same member returned twice while the set rehashes) from a second
 * order with the same id: a repeat has the same side, length, score and filled amount. Cheaper
 * than hashing every member, and without keeping 100k member strings alive.
 */
interface MemberPrint {
  side: string;
  length: number;
  score: string;
  filled: string;
}

function samePrint(a: MemberPrint, b: MemberPrint): boolean {
  return a.side === b.side && a.length === b.length && a.score === b.score && a.filled === b.filled;
}

function clip(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * Walk every member of both sides with ZSCAN (constant memory on the server, no long-blocking
 * ZRANGE 0 -1) and record what is wrong with each: unparsable, score != price, wrong side,
 * expired, fully filled, duplicate id, and (optionally) its order:{id} hash missing or disagreeing.
 */
export async function auditMembers(
  client: AnyRedis,
  keys: BookKeys,
  findings: FindingCollector,
  opts: { now?: number; checkOrderHashes?: boolean; scanCount?: number } = {},
): Promise<MemberAuditStats> {
  const now = opts.now ?? Date.now();
  const seenIds = new Map<string, MemberPrint>();
  const stats: MemberAuditStats = { buy: 0, sell: 0, orderHashesChecked: 0 };
  for (const [side, key, expected] of [
    ['buy', keys.buy, 'Buy'],
    ['sell', keys.sell, 'Sell'],
  ] as const) {
    const seenBad = new Set<string>();
    let cursor = '0';
    do {
      const [next, flat] = await client.zscan(key, cursor, 'COUNT', opts.scanCount ?? 1000);
      cursor = next;
      const toCheck: Array<{ order: BookOrder; member: string }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const member = flat[i]!;
        const score = flat[i + 1]!;
        const parsed = parseBookMember(member);
        if (!parsed.ok) {
          // Unparsable members have no id; a repeat is recognised by the member itself (they are few).
          if (seenBad.has(member)) continue;
          seenBad.add(member);
          stats[side]++;
          findings.add('unparsable', `${side}: ${parsed.reason}: ${clip(member)}`);
          continue;
        }
        const print: MemberPrint = { side, length: member.length, score, filled: formatDecimal(parsed.order.filledAmount) };
        const prior = seenIds.get(parsed.order.id);
        if (prior && samePrint(prior, print)) continue;
        stats[side]++;
        const o = parsed.order;
        const price = Number(o.priceText);
        const s = Number(score);
        // Scores are doubles (the gateway stores price as f64); a decimal's nearest double may differ in the last bits.
        if (Math.abs(s - price) > 1e-9 * Math.max(1, Math.abs(price))) findings.add('score-mismatch', `${side}: id=${o.id} price=${o.priceText} score=${score}`);
        if (o.side !== expected) findings.add('wrong-side', `${key}: id=${o.id} side=${o.side}`);
        if (o.expiresAt !== undefined && o.expiresAt <= now) findings.add('expired', `${side}: id=${o.id} expired ${new Date(o.expiresAt).toISOString()}`);
        if (!isPositive(o.remaining)) findings.add('fully-filled', `${side}: id=${o.id} filled ${formatDecimal(o.filledAmount)} of ${formatDecimal(o.energyAmount)}`);
        if (prior) findings.add('duplicate-id', `id=${o.id} on ${prior.side} and ${side}`);
        else seenIds.set(o.id, print);
        toCheck.push({ order: o, member });
      }
      if (opts.checkOrderHashes !== false && toCheck.length) {
        // Issued together: ioredis writes them back to back (and per node in a Cluster), one round trip per page.
        const stored = await readOrderHashes(client, toCheck.map(({ order }) => keys.orderKeyPrefix + order.id));
        stats.orderHashesChecked += toCheck.length;
        toCheck.forEach(({ order: o, member }, i) => {
          const data = stored[i];
          // The gateway writes the same JSON to both places; identical text needs no parsing.
          if (data === member) return;
          if (data === null || data === undefined) return findings.add('order-hash-missing', `${keys.orderKeyPrefix}${o.id}`);
          const diff = orderDifferences(o, data);
          if (diff.length) findings.add('order-hash-mismatch', `${keys.orderKeyPrefix}${o.id}: ${diff.join(', ')}`);
        });
      }
    } while (cursor !== '0');
  }
  return stats;
}

/** Fields on which the order:{id} hash disagrees with the book member (decimals compared exactly). */
export function orderDifferences(book: BookOrder, hashData: string): string[] {
  const parsed = parseBookMember(hashData);
  if (!parsed.ok) return [`hash data ${parsed.reason}`];
  const h = parsed.order;
  const diff: string[] = [];
  if (h.id !== book.id) diff.push(`id ${h.id} != ${book.id}`);
  if (h.side !== book.side) diff.push(`side ${h.side} != ${book.side}`);
  for (const [name, a, b] of [
    ['price', h.price, book.price],
    ['energy_amount', h.energyAmount, book.energyAmount],
    ['filled_amount', h.filledAmount, book.filledAmount],
  ] as const) {
    if (compare(a, b) !== 0) diff.push(`${name} ${formatDecimal(a)} != ${formatDecimal(b)}`);
  }
  if (h.expiresAt !== book.expiresAt) diff.push('expires_at differs');
  return diff;
}


/**
 * HGET key data for a page of orders in one round trip. A standalone/Sentinel client takes one
 * pipeline (a single socket write); a Cluster cannot pipeline across slots, so the commands are
 * issued together and ioredis sends them to each node back to back.
 */
async function readOrderHashes(client: AnyRedis, keys: string[]): Promise<Array<string | null>> {
  if ('nodes' in client && typeof client.nodes === 'function' && client.isCluster) {
    return Promise.all(keys.map((k) => client.hget(k, 'data')));
  }
  const p = client.pipeline();
  for (const k of keys) p.hget(k, 'data');
  const replies = (await p.exec()) ?? [];
  return replies.map(([err, v]) => {
    if (err) throw err;
    return (v as string | null) ?? null;
  });
}
