import type { AnyRedis } from '../redis/connect.js';
import type { OrderbookConfig } from '../config/schema-incident.js';
import { parseDecimal } from './decimal.js';
import { resolveBookKeys, DEFAULT_LEVELS, type BookKeys, type BookLayout } from './layout.js';
import { readMetadata, metadataDrift, type MetadataDrift, type StoredMetadata } from './metadata.js';
import { readTopLevels, summarizeBook, type BookSummary, type SideDepth } from './top-of-book.js';
import { auditMembers, type MemberAuditStats, type OrderHashCheck } from './audit.js';
import { FindingCollector, worstStatus, type AuditCheck, type CheckId, type CheckStatus } from './checks.js';

export interface InspectOptions {
  levels?: number;
  layout?: BookLayout;
  /** false: top of book and metadata only (cheap; what --watch redraws fastest). */
  audit?: boolean;
  checkOrderHashes?: boolean;
  /** 'auto' (default): a read-only Lua script where it can run, else pipelined HGETs (forced here for tests and the bench). */
  orderHashCheck?: 'auto' | 'pipelined-hget';
  now?: number;
}

/** The result of `orderbook inspect`: what --json prints and the table is drawn from. */
export interface OrderbookReport {
  generatedAt: string;
  layout: BookLayout;
  keys: BookKeys;
  notes: string[];
  bids: SideDepth;
  asks: SideDepth;
  summary: BookSummary;
  metadata: StoredMetadata & { drift: MetadataDrift[] };
  audit?: { scanned: MemberAuditStats; durationMs: number; orderHashCheck?: OrderHashCheck };
  checks: AuditCheck[];
  status: CheckStatus;
}

/**
 * Inspect the order book: layout, the top levels of each side, best bid/ask, spread and mid (live
 * orders only, exact decimals), the stored metadata against the book, and unless `audit: false`
 * the full member audit. Book-level checks (crossed, metadata) run either way.
 */
export async function inspectOrderbook(client: AnyRedis, config: OrderbookConfig | undefined, opts: InspectOptions = {}): Promise<OrderbookReport> {
  const now = opts.now ?? Date.now();
  const levels = opts.levels ?? config?.levels ?? DEFAULT_LEVELS;
  const { keys, notes } = await resolveBookKeys(client, config, opts.layout);
  const [bids, asks, meta] = await Promise.all([
    readTopLevels(client, keys.buy, 'Buy', levels, now),
    readTopLevels(client, keys.sell, 'Sell', levels, now),
    readMetadata(client, keys.metadata, now),
  ]);
  const summary = summarizeBook(bids, asks, parseDecimal);
  const drift = metadataDrift(meta, { best_bid: summary.bestBid, best_ask: summary.bestAsk, mid_price: summary.mid, spread: summary.spread });

  const findings = new FindingCollector();
  const ran: CheckId[] = ['crossed-book', 'metadata-missing', 'metadata-no-ttl', 'metadata-drift'];
  if (summary.crossed) findings.add('crossed-book', `best bid ${summary.bestBid} >= best ask ${summary.bestAsk}`);
  if (!meta.present) findings.add('metadata-missing', `${keys.metadata} does not exist`);
  else if (meta.unreadable) findings.add('metadata-missing', `${keys.metadata}: ${meta.unreadable}`);
  if (meta.present && meta.ttlMs === null) findings.add('metadata-no-ttl', `${keys.metadata} has no TTL (the gateway sets 24h)`);
  for (const d of drift) findings.add('metadata-drift', `${d.field}: stored ${d.stored ?? 'null'}, book ${d.actual ?? 'null'}`);

  let audit: OrderbookReport['audit'];
  if (opts.audit !== false) {
    const started = Date.now();
    const checkOrderHashes = opts.checkOrderHashes !== false;
    const result = await auditMembers(client, keys, findings, { now, checkOrderHashes, ...(opts.orderHashCheck ? { orderHashCheck: opts.orderHashCheck } : {}) });
    audit = { scanned: result.stats, durationMs: Date.now() - started };
    if (result.orderHashCheck) audit.orderHashCheck = result.orderHashCheck;
    // Slower, not wrong: say why, so an operator can grant +evalsha +eval if the audit matters.
    if (result.fallbackReason) notes.push(`order:{id} hashes compared with pipelined HGETs (the Lua script was refused: ${result.fallbackReason})`);
    ran.push('unparsable', 'score-mismatch', 'wrong-side', 'duplicate-id', 'expired', 'fully-filled');
    if (checkOrderHashes) ran.push('order-hash-missing', 'order-hash-mismatch');
  }
  const checks = findings.result(ran);
  const report: OrderbookReport = {
    generatedAt: new Date(now).toISOString(),
    layout: keys.layout,
    keys,
    notes,
    bids,
    asks,
    summary,
    metadata: { ...meta, drift },
    checks,
    status: worstStatus(checks.map((c) => c.status)),
  };
  if (audit) report.audit = audit;
  return report;
}
