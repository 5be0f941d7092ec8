import type { AnyRedis } from '../redis/connect.js';
import type { Redis } from 'ioredis';
import { compare, formatDecimal, parseDecimal } from './decimal.js';
import { parseAuditMember, parseBookMember, type AuditedOrder, type BookOrder } from './order.js';
import { GridctlError } from '../errors.js';
import { MAX_PAGE_COUNT, nextPageCount, readPageWithOrderHashes, type OrderHashPage, type PageAnchor } from './order-hash-script.js';
import type { FindingCollector } from './checks.js';
import type { BookKeys } from './layout.js';

export interface MemberAuditStats {
  /** Distinct members seen per side (ZSCAN may return one twice; repeats are not counted). */
  buy: number;
  sell: number;
  orderHashesChecked: number;
}

/**
 * How the order:{id} hashes were compared: by a read-only Lua script next to the data (one call
 * per page), or by pipelined HGETs from the client (Cluster, an ACL without EVAL, Redis < 7).
 */
export type OrderHashCheck = 'server-script' | 'pipelined-hget';

export interface MemberAuditResult {
  stats: MemberAuditStats;
  /** Undefined when order hashes were not checked. */
  orderHashCheck?: OrderHashCheck;
  /** Why the script path was not used, when it was wanted (e.g. NOPERM): for the report's notes. */
  fallbackReason?: string;
}

export interface AuditOptions {
  now?: number;
  checkOrderHashes?: boolean;
  /** 'auto' (default): the Lua script where it can work, else pipelined HGETs. */
  orderHashCheck?: 'auto' | 'pipelined-hget';
  /** ZSCAN COUNT of the first page (the script path then sizes pages to its time budget). */
  scanCount?: number;
  /** Server time one script call aims for (default 3 ms). */
  scriptBudgetMs?: number;
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

function clip(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The canonical text of a decimal the audit already validated (for finding samples only). */
function canonical(text: string): string {
  const d = parseDecimal(text);
  return d ? formatDecimal(d) : text;
}

// Shared verdicts: 200k members, no object each.
const SAME = { kind: 'same' } as const;
const MISSING = { kind: 'missing' } as const;

/** One page (ZSCAN, or the script's ZRANGE), with the script's verdicts when it ran. */
interface PageRead {
  flat: string[];
  /** Nothing after this page. */
  last: boolean;
  page?: OrderHashPage;
}

/** An order the audit still has to compare with its order:{id} hash, and what the script found. */
interface HashCheck {
  order: AuditedOrder;
  member: string;
  /** undefined: not looked at yet (pipelined path, or the script could not check it). */
  verdict?: { kind: 'same' } | { kind: 'missing' } | { kind: 'data'; data: string };
}

/**
 * Walk every member of both sides in pages (never one long-blocking ZRANGE 0 -1) and record what
 * is wrong with each: unparsable, score != price, wrong side, expired, fully filled, duplicate id,
 * and (optionally) its order:{id} hash missing or disagreeing.
 *
 * Pages come from the order-hash script (standalone/Sentinel: ZRANGE after the previous page, the
 * hashes compared next to the data, order-hash-script.ts) or from ZSCAN followed by pipelined
 * HGETs (Cluster, no EVAL, --no-order-hashes); ZSCAN's repeats are recognised either way. The hot
 * path is per member, 200k times for a 100k-per-side book: the gateway's layout read by one
 * pattern (JSON.parse otherwise), decimals compared as text (no BigInt), one page read ahead.
 */
export async function auditMembers(client: AnyRedis, keys: BookKeys, findings: FindingCollector, opts: AuditOptions = {}): Promise<MemberAuditResult> {
  const now = opts.now ?? Date.now();
  const checkHashes = opts.checkOrderHashes !== false;
  const seenIds = new Map<string, MemberPrint>();
  const stats: MemberAuditStats = { buy: 0, sell: 0, orderHashesChecked: 0 };
  const cluster = isCluster(client);
  let useScript = checkHashes && opts.orderHashCheck !== 'pipelined-hget' && !cluster;
  let fallbackReason: string | undefined;
  let scriptProven = false;
  const budgetMicros = (opts.scriptBudgetMs ?? 3) * 1000;

  // Both sides are audited at once: each side is a chain of pages (the next page starts after the
  // last member of the previous one), so with two chains Redis always has a page to work on while
  // this process checks the other side's. JavaScript runs one page at a time, so the shared maps
  // and counters need no locking.
  const auditSide = async (side: 'buy' | 'sell', key: string, expected: 'Buy' | 'Sell'): Promise<void> => {
    const seenBad = new Set<string>();
    let count = opts.scanCount ?? (useScript ? 500 : 1000);
    let cursor = '0';
    let anchor: PageAnchor | undefined;
    let restarts = 0;
    /** One page: through the script while it works, else plain ZSCAN (the HGETs follow per page). */
    const fetchPage = async (): Promise<PageRead> => {
      if (useScript) {
        try {
          const page = await readPageWithOrderHashes(client as Redis, key, anchor, count, keys.orderKeyPrefix);
          scriptProven = true;
          const n = page.flat.length;
          if (n) anchor = { member: page.flat[n - 2]!, score: page.flat[n - 1]! };
          if (page.restarted) {
            // The anchor was removed: the page restarted at its score level. Bigger pages get past
            // a level larger than one page; a book that keeps pulling the anchor away is an error.
            if (++restarts > MAX_RESTARTS) throw new GridctlError('OPERATION_FAILED', `the order book changed too fast to audit ${key} (${restarts} restarted pages)`, { hint: 'run the audit again' });
            count = Math.min(MAX_PAGE_COUNT, count * 2);
          } else {
            count = nextPageCount(count, n / 2, page.serverMicros, budgetMicros);
          }
          return { flat: page.flat, last: page.last, page };
        } catch (err) {
          // Only the first call decides: a later failure (timeout, BUSY) is an error like any other.
          if (scriptProven) throw err;
          useScript = false;
          fallbackReason = firstLine(err);
        }
      }
      const [next, flat] = await client.zscan(key, cursor, 'COUNT', count);
      cursor = next;
      return { flat, last: next === '0' };
    };
    // One page ahead: Redis reads (and with the script, compares) the next page while this process
    // checks the current one, so on a 2-core machine the two halves of the work overlap.
    let pending: Promise<PageRead> | undefined = fetchPage();
    while (pending) {
      const { flat, last, page }: PageRead = await pending;
      pending = last ? undefined : fetchPage();
      // If checking this page throws, the page in flight must not become an unhandled rejection.
      pending?.catch(() => undefined);
      const toCheck: HashCheck[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const member = flat[i]!;
        const score = flat[i + 1]!;
        const parsed = parseAuditMember(member);
        if (typeof parsed === 'string') {
          // Unparsable members have no id; a repeat is recognised by the member itself (they are few).
          if (seenBad.has(member)) continue;
          seenBad.add(member);
          stats[side]++;
          findings.add('unparsable', `${side}: ${parsed}: ${clip(member)}`);
          continue;
        }
        const o = parsed;
        const prior = seenIds.get(o.id);
        if (prior && prior.side === side && prior.length === member.length && prior.score === score && prior.filled === o.filledText) continue;
        stats[side]++;
        const price = Number(o.priceText);
        const s = Number(score);
        // Scores are doubles (the gateway stores price as f64); a decimal's nearest double may differ in the last bits.
        if (Math.abs(s - price) > 1e-9 * Math.max(1, Math.abs(price))) findings.add('score-mismatch', `${side}: id=${o.id} price=${o.priceText} score=${score}`);
        if (o.side !== expected) findings.add('wrong-side', `${key}: id=${o.id} side=${o.side}`);
        if (o.expiresAt !== undefined && o.expiresAt <= now) findings.add('expired', `${side}: id=${o.id} expired ${new Date(o.expiresAt).toISOString()}`);
        if (!o.hasRemaining) findings.add('fully-filled', `${side}: id=${o.id} filled ${canonical(o.filledText)} of ${canonical(o.energyText)}`);
        if (prior) findings.add('duplicate-id', `id=${o.id} on ${prior.side} and ${side}`);
        // The id (and filled text) may be slices of the member: keep copies, not 200k whole members.
        else seenIds.set(ownCopy(o.id), { side, length: member.length, score, filled: o.filledText.length < 13 ? o.filledText : ownCopy(o.filledText) });
        if (!checkHashes) continue;
        const verdict = page ? scriptVerdict(page, i, o) : undefined;
        // The common case (the script found the hash equal) needs nothing more than counting.
        if (verdict === SAME) stats.orderHashesChecked++;
        else toCheck.push({ order: o, member, verdict });
      }
      if (toCheck.length) await compareOrderHashes(client, keys, toCheck, findings, stats);
    }
  };
  await Promise.all([auditSide('buy', keys.buy, 'Buy'), auditSide('sell', keys.sell, 'Sell')]);
  const result: MemberAuditResult = { stats };
  if (checkHashes) result.orderHashCheck = useScript ? 'server-script' : 'pipelined-hget';
  if (fallbackReason) result.fallbackReason = fallbackReason;
  return result;
}

/**
 * The script's verdict on the member at flat index i, or undefined to check it client-side: when
 * the script could not, or when the text holds a second "id" key (the script reads the first one,
 * JSON.parse keeps the last; the gateway never writes such a member, but an audit must not guess).
 */
function scriptVerdict(page: OrderHashPage, i: number, order: AuditedOrder): HashCheck['verdict'] {
  if (!order.singleIdKey) return undefined;
  if (page.unchecked.size && page.unchecked.has(i)) return undefined;
  if (page.missing.size && page.missing.has(i)) return MISSING;
  const data = page.mismatched.size ? page.mismatched.get(i) : undefined;
  return data === undefined ? SAME : { kind: 'data', data };
}

/** Turn the verdicts into findings, reading (pipelined HGET) the hashes nobody has looked at yet. */
async function compareOrderHashes(client: AnyRedis, keys: BookKeys, toCheck: HashCheck[], findings: FindingCollector, stats: MemberAuditStats): Promise<void> {
  const unread = toCheck.filter((c) => c.verdict === undefined);
  if (unread.length) {
    const stored = await readOrderHashes(client, unread.map(({ order }) => keys.orderKeyPrefix + order.id));
    unread.forEach((c, i) => {
      const data = stored[i];
      // The gateway writes the same JSON to both places; identical text needs no parsing.
      c.verdict = data === c.member ? SAME : data === null || data === undefined ? MISSING : { kind: 'data', data };
    });
  }
  stats.orderHashesChecked += toCheck.length;
  for (const { order: o, member, verdict } of toCheck) {
    if (verdict!.kind === 'same') continue;
    if (verdict!.kind === 'missing') {
      findings.add('order-hash-missing', `${keys.orderKeyPrefix}${o.id}`);
      continue;
    }
    // Rare: the full parse (exact decimals) only for members whose hash differs in text.
    const book = parseBookMember(member);
    if (!book.ok) continue;
    const diff = orderDifferences(book.order, verdict!.data);
    if (diff.length) findings.add('order-hash-mismatch', `${keys.orderKeyPrefix}${o.id}: ${diff.join(', ')}`);
  }
}

/** Restarted pages (anchor removed under the audit) tolerated per side before giving up. */
const MAX_RESTARTS = 1000;

/**
 * A string that does not keep a larger one alive: V8 makes a substring (of 13 characters or more) a view into its parent,
 * so an id cut out of a member would keep the whole member in memory for as long as the id is a
 * key of seenIds. Slicing a concatenation flattens it into a fresh, small string.
 */
function ownCopy(s: string): string {
  return `${s} `.slice(0, -1);
}

function isCluster(client: AnyRedis): boolean {
  return (client as { isCluster?: boolean }).isCluster === true;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0]!;
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
