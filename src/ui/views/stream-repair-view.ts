import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { summaryLine } from '../summary-line.js';
import { formatDuration } from '../../core/duration.js';
import type { ClaimReport } from '../../core/stream/claim.js';
import type { DeadLetterReport } from '../../core/stream/dead-letter.js';
import type { TrimReport } from '../../core/stream/trim.js';
import type { PendingEntrySummary } from '../../core/stream/types.js';


function candidateRows(entries: PendingEntrySummary[], tty: boolean): string {
  return renderTable(['ID', 'CONSUMER', 'IDLE', 'DELIVERIES'], entries.map((e) => [e.id, e.consumer, tty ? formatDuration(e.idleMs) : e.idleMs, e.deliveries]), { tty });
}

export function renderClaim(r: ClaimReport, out: Output): void {
  if (!r.candidates.length) return summaryLine(out, `no pending entry of ${r.group} on ${r.stream} is idle >= ${formatDuration(r.minIdleMs)}; nothing changed`);
  if (r.dryRun) {
    if (r.candidates.length) out.print(candidateRows(r.candidates, out.stdoutIsTTY));
    return summaryLine(out, `dry run: would claim ${r.candidates.length} entr${r.candidates.length === 1 ? 'y' : 'ies'} of ${r.group} on ${r.stream} for ${r.consumer} (idle >= ${formatDuration(r.minIdleMs)}); nothing changed`);
  }
  if (r.claimed.length) out.print(renderTable(['ID', 'NOW OWNED BY'], r.claimed.map((id) => [id, r.consumer]), { tty: out.stdoutIsTTY }));
  const dropped = r.deletedFromPel.length ? `; ${r.deletedFromPel.length} pending id(s) whose entry was deleted were dropped from the PEL by Redis: ${r.deletedFromPel.join(', ')}` : '';
  summaryLine(out, `claimed ${r.claimed.length} entr${r.claimed.length === 1 ? 'y' : 'ies'} of ${r.group} on ${r.stream} for ${r.consumer}${dropped}`);
}

export function renderDeadLetter(r: DeadLetterReport, out: Output): void {
  if (!r.candidates.length) return summaryLine(out, `no pending entry of ${r.group} on ${r.stream} was delivered ${r.minDeliveries} times or more; nothing changed`);
  if (r.dryRun) {
    if (r.candidates.length) out.print(candidateRows(r.candidates, out.stdoutIsTTY));
    return summaryLine(out, `dry run: would move ${r.candidates.length} poison entr${r.candidates.length === 1 ? 'y' : 'ies'} (>= ${r.minDeliveries} deliveries) of ${r.group} on ${r.stream} to ${r.to} and XACK them; nothing changed`);
  }
  if (r.moved.length) out.print(renderTable(['ID', 'DEAD-LETTER ID', 'DELIVERIES', 'NOTE'], r.moved.map((m) => [m.id, m.deadLetterId, m.deliveries, m.missing ? 'entry was already deleted: metadata only' : '']), { tty: out.stdoutIsTTY }));
  const skipped = r.skipped.length ? `; ${r.skipped.length} skipped (acknowledged meanwhile): ${r.skipped.join(', ')}` : '';
  summaryLine(out, `moved ${r.moved.length} entr${r.moved.length === 1 ? 'y' : 'ies'} of ${r.group} on ${r.stream} to ${r.to} and acknowledged them${skipped}`);
}

export function renderTrim(r: TrimReport, out: Output): void {
  const how = 'maxLen' in r.strategy ? `MAXLEN = ${r.strategy.maxLen}` : `MINID = ${r.strategy.minId}`;
  const rows = r.groups.map((g) => [g.group, g.undeliveredRemoved ?? 'unknown', g.pendingRemoved ?? '-']);
  if (rows.length) out.print(renderTable(['GROUP', 'UNREAD ENTRIES REMOVED', 'PENDING ENTRIES REMOVED'], rows, { tty: out.stdoutIsTTY }));
  if (!r.dryRun && r.toRemove === 0) return summaryLine(out, `${r.stream} has ${r.lengthBefore} entries, none below ${how.replace(' = ', ' ')}; nothing changed`);
  if (r.dryRun) return summaryLine(out, `dry run: XTRIM ${r.stream} ${how} would remove ${r.toRemove} of ${r.lengthBefore} entries; nothing changed`);
  summaryLine(out, `XTRIM ${r.stream} ${how} removed ${r.removed} of ${r.lengthBefore} entries`);
}
