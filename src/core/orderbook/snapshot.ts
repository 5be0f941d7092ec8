import type { AnyRedis } from '../redis/connect.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { OrderbookReport } from './inspect.js';

/** The file `orderbook snapshot --out FILE` writes: the raw book plus the audit, for the incident record. */
export interface OrderbookSnapshot {
  version: 1;
  takenAt: string;
  target: string;
  keys: OrderbookReport['keys'];
  buy: Array<{ score: string; member: string }>;
  sell: Array<{ score: string; member: string }>;
  metadata: { type: string; ttlMs: number | null; raw: string | Record<string, string> | null };
  report: OrderbookReport;
}

export interface SnapshotSummary {
  file: string;
  takenAt: string;
  buy: number;
  sell: number;
  bytes: number;
  status: OrderbookReport['status'];
  dryRun: boolean;
}

/**
 * Read both sides in index pages (ZRANGE start stop WITHSCORES, 5000 at a time, so no single
 * command blocks the server for long) and the raw metadata, and write them with the report in one
 * JSON file, atomically. The pages are not one transaction: a book that changes during the read
 * may show an order twice or not at all, which the takenAt/report timestamps put in context.
 */
export async function snapshotOrderbook(
  client: AnyRedis,
  report: OrderbookReport,
  opts: { file: string; target: string; dryRun?: boolean; pageSize?: number },
): Promise<SnapshotSummary> {
  const page = opts.pageSize ?? 5000;
  const readSide = async (key: string) => {
    const out: Array<{ score: string; member: string }> = [];
    for (let start = 0; ; start += page) {
      const flat = await client.zrange(key, start, start + page - 1, 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i]!, score: flat[i + 1]! });
      if (flat.length < page * 2) return out;
    }
  };
  const [buy, sell] = await Promise.all([readSide(report.keys.buy), readSide(report.keys.sell)]);
  const metaKey = report.keys.metadata;
  const raw = report.metadata.type === 'hash' ? await client.hgetall(metaKey) : report.metadata.type === 'string' ? await client.get(metaKey) : null;
  const snapshot: OrderbookSnapshot = {
    version: 1,
    takenAt: new Date().toISOString(),
    target: opts.target,
    keys: report.keys,
    buy,
    sell,
    metadata: { type: report.metadata.type, ttlMs: report.metadata.ttlMs, raw },
    report,
  };
  const text = JSON.stringify(snapshot, null, 1) + '\n';
  // --dry-run stops here, at the single write point.
  if (!opts.dryRun) await writeFileAtomic(opts.file, text);
  return { file: opts.file, takenAt: snapshot.takenAt, buy: buy.length, sell: sell.length, bytes: Buffer.byteLength(text), status: report.status, dryRun: Boolean(opts.dryRun) };
}
