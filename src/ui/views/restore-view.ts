import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c } from '../colors.js';
import { describeServer } from '../../core/compat/server-identity.js';
import type { RestoreReport } from '../../core/restore/restore.js';

/** The restore summary: totals, then per type archive vs restored, then the sample check. */
export function renderRestore(r: RestoreReport, out: Output): void {
  if (out.json) return out.printJson(r);
  const tty = out.stdoutIsTTY;
  const rows: Array<Array<string | number>> = [
    ['status', r.dryRun ? c().cyan('DRY RUN (nothing written)') : r.ok ? c().green('OK') : c().red('FAILED')],
    ['file', r.file],
    ['source', `${r.source.topology}, ${describeServer({ engine: r.source.engine, version: r.source.serverVersion })}, taken ${r.source.startedAt}`],
    ['target', `${r.target.topology}, ${describeServer({ engine: r.target.engine, version: r.target.serverVersion })}, ${r.target.masters} master(s), ${r.target.keysBefore} keys before${r.dryRun ? '' : `, ${r.target.keysAfter} after`}`],
    ['selected', r.selected],
    [r.dryRun ? 'would restore' : 'restored', r.dryRun ? r.selected - r.skippedExpired - (r.onConflict === 'skip' ? r.conflicts.count : 0) : r.restored],
    ['skipped (existing)', r.dryRun ? (r.onConflict === 'skip' ? r.conflicts.count : 0) : r.skippedExisting],
    ['skipped (expired)', r.skippedExpired],
    ...(r.skippedOtherDbs > 0 ? [['skipped (other dbs)', r.skippedOtherDbs] as Array<string | number>] : []),
    ['conflicts', `${r.conflicts.count}${r.conflicts.keys.length ? `: ${r.conflicts.keys.slice(0, 5).join(', ')}${r.conflicts.count > 5 ? ', ...' : ''}` : ''}`],
  ];
  if (!r.dryRun) {
    rows.push(['failed', r.failed + r.typeMismatches]);
    rows.push(['sample re-DUMP', `${r.sample.matched}/${r.sample.checked} match${r.sample.byteCompared ? '' : ' (target re-encodes: presence checked)'}`]);
    rows.push(['duration', `${(r.durationMs / 1000).toFixed(2)} s (${r.keysPerSecond} keys/s)`]);
  }
  out.print(renderTable(['FIELD', 'VALUE'], rows, { tty }));
  out.print('');
  out.print(renderTable(['TYPE', 'ARCHIVE', 'RESTORED', 'EXISTING', 'EXPIRED', 'FAILED'], Object.entries(r.countsByType).map(([t, v]) => [t, v!.archive, v!.restored, v!.skipped, v!.expired, v!.failed]), { tty }));
  for (const e of r.errors) out.warn(`${e.key}: ${e.message}`);
  for (const k of r.sample.mismatched) out.warn(`sample mismatch: ${k}`);
}
