import type { Output } from '../output.js';
import { c } from '../colors.js';
import { renderTable } from '../table.js';
import { summaryLine } from '../summary-line.js';
import { renderGauges } from '../prometheus.js';
import { formatDuration } from '../../core/duration.js';
import { formatBytes } from '../../core/memory/parse-size.js';
import type { StreamFinding, StreamInspectReport, StreamListReport } from '../../core/stream/types.js';
import type { PendingReport } from '../../core/stream/pending.js';

const ago = (ms: number | null) => (ms === null ? '-' : `${formatDuration(ms)} ago`);
const dur = (ms: number | null) => (ms === null ? '-' : formatDuration(ms));
const orDash = (v: number | string | null | undefined) => (v === null || v === undefined ? '-' : String(v));

/** `stream list`: one row per stream; piped, raw numbers (ms, bytes) as TSV. */
export function renderStreamList(r: StreamListReport, out: Output, format: string | undefined): void {
  if (format === 'prometheus') return out.print(streamListPrometheus(r));
  const tty = out.stdoutIsTTY;
  const rows = r.streams.map((s) =>
    tty
      ? [s.stream, s.node, s.length, ago(s.firstAgeMs), ago(s.lastAgeMs), s.groups, orDash(s.maxLen), s.memoryBytes === null ? '-' : formatBytes(s.memoryBytes)]
      : [s.stream, s.node, s.length, orDash(s.firstId), orDash(s.lastId), orDash(s.firstAgeMs), orDash(s.lastAgeMs), s.groups, orDash(s.maxLen), orDash(s.memoryBytes)],
  );
  if (rows.length) out.print(renderTable(['STREAM', 'NODE', 'LENGTH', 'FIRST ENTRY', 'LAST ENTRY', 'GROUPS', 'MAXLEN', 'MEMORY'], rows, { tty }));
  const summary = `${r.totals.streams} stream(s), ${r.totals.entries} entries, ${formatBytes(r.totals.memoryBytes)}${r.match ? ` matching ${r.match}` : ''}`;
  summaryLine(out, summary);
}

function streamListPrometheus(r: StreamListReport): string {
  const per = (value: (s: StreamListReport['streams'][number]) => number | null) => r.streams.map((s) => ({ labels: { stream: s.stream, node: s.node }, value: value(s) }));
  return renderGauges([
    { name: 'gridctl_stream_length', help: 'Entries in the stream (XLEN).', samples: per((s) => s.length) },
    { name: 'gridctl_stream_groups', help: 'Consumer groups of the stream.', samples: per((s) => s.groups) },
    { name: 'gridctl_stream_last_entry_age_seconds', help: 'Age of the newest entry, from its id.', samples: per((s) => (s.lastAgeMs === null ? null : s.lastAgeMs / 1000)) },
    { name: 'gridctl_stream_first_entry_age_seconds', help: 'Age of the oldest entry, from its id.', samples: per((s) => (s.firstAgeMs === null ? null : s.firstAgeMs / 1000)) },
    { name: 'gridctl_stream_memory_bytes', help: 'MEMORY USAGE of the stream.', samples: per((s) => s.memoryBytes) },
  ]);
}

/** `stream inspect`: the stream line, a row per group, a row per consumer, then the findings. */
export function renderStreamInspect(r: StreamInspectReport, out: Output, format: string | undefined): void {
  if (format === 'prometheus') return out.print(streamInspectPrometheus(r));
  const tty = out.stdoutIsTTY;
  const head = `${r.stream} on ${r.node}: ${r.length} entries, first ${ago(r.firstAgeMs)}, last ${ago(r.lastAgeMs)}, ${r.groups.length} group(s)`;
  if (!tty) {
    out.info(head);
    const rows = r.groups.map((g) => [g.name, g.consumers, g.pending, g.lag ?? 'unknown', orDash(g.entriesRead), g.lastDeliveredId, orDash(g.oldestPending?.id), orDash(g.maxPendingIdleMs), g.maxDeliveries, g.poisonEntries, g.deadConsumers.join(',')]);
    if (rows.length) out.print(renderTable([], rows, { tty: false }));
    printFindings(r.findings, (l) => out.info(l));
    return;
  }
  const k = c();
  const parts = [k.bold(head)];
  if (r.groups.length) {
    const groupRows = r.groups.map((g) => [
      g.name,
      g.consumers,
      g.pending,
      g.lag === null ? k.yellow('unknown') : g.lag,
      orDash(g.entriesRead),
      `${g.lastDeliveredId} (${ago(g.lastDeliveredAgeMs)})`,
      g.oldestPending ? `${g.oldestPending.id} idle ${dur(g.oldestPending.idleMs)}` : '-',
      dur(g.maxPendingIdleMs),
      g.maxDeliveries,
      g.poisonEntries ? k.red(g.poisonEntries) : 0,
    ]);
    parts.push(renderTable(['GROUP', 'CONSUMERS', 'PENDING', 'LAG', 'ENTRIES-READ', 'LAST DELIVERED', 'OLDEST PENDING', 'MAX IDLE', 'MAX DELIVERIES', 'POISON'], groupRows, { tty: true }));
    const consumerRows = r.groups.flatMap((g) => g.consumerStates.map((s) => [g.name, s.name, s.pending, dur(s.idleMs), s.inactiveMs === null ? '-' : s.inactiveMs < 0 ? 'never read' : dur(s.inactiveMs), s.dead ? k.red('dead') : 'ok']));
    if (consumerRows.length) parts.push(renderTable(['GROUP', 'CONSUMER', 'PENDING', 'IDLE', 'INACTIVE', 'STATE'], consumerRows, { tty: true }));
    for (const g of r.groups.filter((x) => x.lag === null)) parts.push(k.yellow(`lag of ${g.name} unknown: ${g.lagUnknownReason}`));
    for (const g of r.groups.filter((x) => x.pendingScanned < x.pending)) parts.push(k.dim(`${g.name}: delivery counts and idle times from the first ${g.pendingScanned} of ${g.pending} pending entries`));
  }
  printFindings(r.findings, (l) => parts.push(l));
  if (!r.findings.length) parts.push(k.green('no findings'));
  out.print(parts.join('\n'));
}

function printFindings(findings: StreamFinding[], line: (text: string) => void): void {
  for (const f of findings) line(`${f.severity === 'critical' ? c().red('CRITICAL') : c().yellow('WARNING')} ${f.stream} ${f.group}: ${f.message}`);
}

function streamInspectPrometheus(r: StreamInspectReport): string {
  const per = (value: (g: StreamInspectReport['groups'][number]) => number | null) => r.groups.map((g) => ({ labels: { stream: r.stream, group: g.name }, value: value(g) }));
  return renderGauges([
    { name: 'gridctl_stream_length', help: 'Entries in the stream (XLEN).', samples: [{ labels: { stream: r.stream }, value: r.length }] },
    { name: 'gridctl_stream_group_lag', help: 'Entries not yet delivered to the group (absent when Redis cannot tell).', samples: per((g) => g.lag) },
    { name: 'gridctl_stream_group_lag_unknown', help: '1 when Redis cannot compute the group lag (after XDEL, or an arbitrary group id).', samples: per((g) => (g.lag === null ? 1 : 0)) },
    { name: 'gridctl_stream_group_pending', help: 'Pending (delivered, unacknowledged) entries of the group.', samples: per((g) => g.pending) },
    { name: 'gridctl_stream_group_pending_max_idle_seconds', help: 'Longest time a pending entry has waited since its delivery.', samples: per((g) => (g.maxPendingIdleMs === null ? null : g.maxPendingIdleMs / 1000)) },
    { name: 'gridctl_stream_group_max_deliveries', help: 'Highest delivery count among pending entries.', samples: per((g) => g.maxDeliveries) },
    { name: 'gridctl_stream_group_poison_entries', help: 'Pending entries delivered poisonDeliveries times or more.', samples: per((g) => g.poisonEntries) },
    { name: 'gridctl_stream_group_dead_consumers', help: 'Consumers holding pending entries, inactive past deadConsumerAfter.', samples: per((g) => g.deadConsumers.length) },
  ]);
}

/** `stream pending`: one row per entry, lowest id first. */
export function renderPending(r: PendingReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  const rows = r.entries.map((e) => (tty ? [e.id, e.consumer, dur(e.idleMs), e.deliveries, ago(e.ageMs)] : [e.id, e.consumer, e.idleMs, e.deliveries, orDash(e.ageMs)]));
  if (rows.length) out.print(renderTable(['ID', 'CONSUMER', 'IDLE', 'DELIVERIES', 'ADDED'], rows, { tty }));
  const summary = `${r.matched} pending entr${r.matched === 1 ? 'y' : 'ies'} of ${r.group} on ${r.stream} match${r.truncated ? ` (first ${r.entries.length} shown; --limit)` : ''}`;
  summaryLine(out, summary);
}
