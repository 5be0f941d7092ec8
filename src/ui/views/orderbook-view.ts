import type { OrderbookReport } from '../../core/orderbook/inspect.js';
import type { SnapshotSummary } from '../../core/orderbook/snapshot.js';
import { formatDuration } from '../../core/duration.js';
import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c, paintStatus } from '../colors.js';

/**
 * `orderbook inspect` as text, drawn from the report --json prints. On a terminal: a summary, the
 * ladder (bids left, asks right) and the checks. Piped: tab-separated rows tagged by kind
 * (bid / ask / check / summary) so `grep ^ask | cut -f2-` works.
 */
export function formatOrderbook(r: OrderbookReport, opts: { tty: boolean }): string {
  const s = r.summary;
  const meta = r.metadata;
  if (!opts.tty) {
    const lines = [
      ['summary', r.layout, s.bestBid ?? '-', s.bestAsk ?? '-', s.spread ?? '-', s.mid ?? '-', r.status].join('\t'),
      ...r.bids.levels.map((l) => ['bid', l.price, l.quantity, l.orders].join('\t')),
      ...r.asks.levels.map((l) => ['ask', l.price, l.quantity, l.orders].join('\t')),
      ...r.checks.map((ch) => ['check', ch.id, ch.status, ch.count, ch.samples[0] ?? ''].join('\t')),
    ];
    return lines.join('\n');
  }
  const k = c();
  const out: string[] = [];
  out.push(`${k.bold('order book')} ${r.layout} (${r.keys.buy}, ${r.keys.sell}, ${r.keys.metadata}) · ${r.bids.members} bid / ${r.asks.members} ask members · ${r.generatedAt}`);
  for (const n of r.notes) out.push(k.yellow(`note: ${n}`));
  out.push(
    `best bid ${k.green(s.bestBid ?? '-')}   best ask ${k.red(s.bestAsk ?? '-')}   spread ${s.spread ?? '-'}   mid ${s.mid ?? '-'}${s.crossed ? k.red.bold('   CROSSED') : ''}`,
  );
  if (!meta.present) out.push(k.red(`metadata: ${r.keys.metadata} missing`));
  else {
    const age = meta.ageMs === undefined ? 'age unknown' : `updated ${formatDuration(Math.max(0, meta.ageMs))} ago`;
    const ttl = meta.ttlMs === null ? k.yellow('no TTL') : `ttl ${formatDuration(meta.ttlMs)}`;
    const drift = meta.unreadable ? k.red(`unreadable: ${meta.unreadable}`) : meta.drift.length ? k.yellow(`drift: ${meta.drift.map((d) => `${d.field} ${d.stored ?? 'null'} -> ${d.actual ?? 'null'}`).join(', ')}`) : 'matches the book';
    out.push(`metadata (${meta.type}): ${age}, ${ttl}, ${drift}`);
  }
  const depth = Math.max(r.bids.levels.length, r.asks.levels.length);
  const rows: string[][] = [];
  for (let i = 0; i < depth; i++) {
    const b = r.bids.levels[i];
    const a = r.asks.levels[i];
    rows.push([b ? String(b.orders) : '', b?.quantity ?? '', b ? k.green(b.price) : '', a ? k.red(a.price) : '', a?.quantity ?? '', a ? String(a.orders) : '']);
  }
  out.push(rows.length ? renderTable(['ORDERS', 'BID QTY', 'BID', 'ASK', 'ASK QTY', 'ORDERS'], rows, { tty: true }) : k.dim('(no live orders)'));
  const checkRows = r.checks.map((ch) => [paintStatus(ch.status), ch.title, ch.count ? String(ch.count) : '', ch.samples.slice(0, 2).join('\n')]);
  out.push(renderTable(['STATUS', 'CHECK', 'COUNT', 'SAMPLES'], checkRows, { tty: true }));
  if (r.audit) {
    out.push(k.dim(`audit: ${r.audit.scanned.buy} bid + ${r.audit.scanned.sell} ask members, ${r.audit.scanned.orderHashesChecked} order hashes, ${r.audit.durationMs} ms`));
  } else out.push(k.dim('audit skipped (--no-audit): member checks did not run'));
  out.push(`${k.bold('status')} ${paintStatus(r.status)}`);
  return out.join('\n');
}

export function renderOrderbook(report: OrderbookReport, out: Output): void {
  if (out.json) return out.printJson(report);
  out.print(formatOrderbook(report, { tty: out.stdoutIsTTY }));
}

export function renderSnapshot(summary: SnapshotSummary, out: Output): void {
  if (out.json) return out.printJson(summary);
  const verb = summary.dryRun ? 'would write' : 'wrote';
  out.print(`${verb} ${summary.file}: ${summary.buy} bid + ${summary.sell} ask members, metadata and the audit (${summary.bytes} bytes); audit status ${summary.status}`);
}
