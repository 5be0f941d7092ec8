import { formatDuration } from '../../core/duration.js';
import { formatBytes } from '../../core/memory/parse-size.js';
import type { BackupSourceReport, MemoryReport } from '../../core/memory/types.js';
import { renderTable } from '../table.js';

/** The summary line of a `memory --from` report: what the backup is, when it was taken, how bytes were sized. */
export function backupSummary(r: MemoryReport, b: BackupSourceReport): string {
  const first = b.parts[0];
  const what = first ? `${first.kind === 'rdb' ? `RDB ${first.rdbVersion}` : 'archive'} from ${first.engine === 'valkey' ? 'Valkey' : 'Redis'} ${first.serverVersion}, taken ${first.savedAt}` : 'empty';
  const files = b.parts.length > 1 ? ` (${b.parts.length} files)` : '';
  const expired = b.expiredKeys ? `; ${b.expiredKeys} keys already expired at backup time left out` : '';
  return (
    `${r.totals.keys} keys, ${formatBytes(r.totals.bytes)} in ${b.file}${files}: ${what}; TTL coverage ${(r.totals.ttlCoverage * 100).toFixed(1)}%${expired}; ` +
    `sized for ${b.estimate.allocator} jemalloc; read in ${formatDuration(r.durationMs)}; no server contacted`
  );
}

/** Encodings per namespace, then each file and its notes (modules, functions passed over, ...). */
export function backupDetails(r: MemoryReport): string {
  const b = r.backup!;
  const encodings = renderTable(
    ['NAMESPACE', 'ENCODINGS'],
    r.namespaces.map((n) => [n.name, Object.entries(n.encodings ?? {}).map(([e, k]) => `${e}:${k}`).join(' ') + (n.fieldsWithTtl ? ` (${n.fieldsWithTtl} hash fields with a TTL)` : '')]),
    { tty: true },
  );
  const files = renderTable(
    ['FILE', 'KIND', 'SERVER', 'TAKEN', 'KEYS', 'CHECKSUM'],
    b.parts.map((p) => [p.file, p.kind === 'rdb' ? `RDB ${p.rdbVersion}` : 'archive', `${p.engine} ${p.serverVersion}`, p.savedAt, p.keys, p.checksum]),
    { tty: true },
  );
  const notes = [b.estimate.reason, ...b.parts.flatMap((p) => p.notes)].map((n) => `note: ${n}`);
  return [encodings, files, ...notes].join('\n');
}
