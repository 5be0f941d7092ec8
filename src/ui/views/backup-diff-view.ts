import { formatBytes } from '../../core/memory/parse-size.js';
import type { BackupDiffReport, DiffSide, NamespaceDiff } from '../../core/offline/diff/diff-types.js';
import { c } from '../colors.js';
import type { Output } from '../output.js';
import { renderTable } from '../table.js';

const HEAD = ['NAMESPACE', 'KEYS BEFORE', 'KEYS AFTER', 'ADDED', 'REMOVED', 'GROWN', 'SHRUNK', 'BYTES BEFORE', 'BYTES AFTER', 'DELTA', 'TTL BEFORE', 'TTL AFTER'];

/**
 * What `gridctl backup diff` prints. On a terminal: what was compared, the namespace table, new
 * big keys, and the --keys list. Piped: namespace rows (raw numbers) as TSV on stdout, then
 * `key` rows for --keys; the summary on stderr.
 */
export function renderBackupDiff(r: BackupDiffReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  const rows = r.namespaces.filter((n) => n.bytesDelta !== 0 || n.added || n.removed || n.grown || n.shrunk || tty).map((n) => row(n, tty));
  const table = renderTable(HEAD, rows, { tty });
  if (!tty) {
    const keyRows = (r.keys?.changes ?? []).map((k) => ['key', k.change, k.key, k.bytesBefore ?? '', k.bytesAfter ?? ''].join('\t'));
    out.print([table, ...keyRows].filter(Boolean).join('\n'));
    out.info(summary(r));
    for (const k of r.newBigKeys) out.info(`new big key ${k.key} (${k.namespace}, ${k.type}): ${formatBytes(k.bytes)}, ${k.elements} elements`);
    return;
  }
  const sections = [c().bold(summary(r)), `before: ${side(r.before)}\nafter:  ${side(r.after)}`, table];
  if (r.newBigKeys.length) {
    sections.push(
      c().bold('New big keys') + '\n' +
        renderTable(['KEY', 'NAMESPACE', 'TYPE', 'BYTES', 'ELEMENTS', 'BEFORE'], r.newBigKeys.map((k) => [k.key, k.namespace, k.type, formatBytes(k.bytes), k.elements, k.bytesBefore === null ? 'absent' : formatBytes(k.bytesBefore)]), { tty }),
    );
  }
  if (r.keys) {
    const title = `Changed keys of ${r.keys.namespace}${r.keys.truncated ? ' (truncated: see --limit)' : ''}`;
    sections.push(
      c().bold(title) + '\n' +
        (r.keys.changes.length
          ? renderTable(['KEY', 'CHANGE', 'TYPE', 'BEFORE', 'AFTER'], r.keys.changes.map((k) => [k.key, k.change, k.type, k.bytesBefore === null ? '-' : formatBytes(k.bytesBefore), k.bytesAfter === null ? '-' : formatBytes(k.bytesAfter)]), { tty })
          : c().green('No key changed.')),
    );
  }
  sections.push(c().dim(`note: ${r.note}; sized for ${r.estimate.allocator} jemalloc (${r.estimate.reason})`));
  out.print(sections.join('\n\n'));
}

function summary(r: BackupDiffReport): string {
  const t = r.totals;
  return `${t.keysBefore} -> ${t.keysAfter} keys (+${t.added} -${t.removed}, ${t.grown} grown, ${t.shrunk} shrunk); ${formatBytes(t.bytesBefore)} -> ${formatBytes(t.bytesAfter)} (${signed(t.bytesDelta)}); TTL coverage ${pct(t.ttlCoverageBefore)} -> ${pct(t.ttlCoverageAfter)}; ${r.newBigKeys.length} new big keys; no server contacted`;
}

function side(s: DiffSide): string {
  const p = s.parts[0];
  const what = p ? `${p.kind === 'rdb' ? `RDB ${p.rdbVersion}` : 'archive'}, ${p.engine} ${p.serverVersion}, taken ${p.savedAt}` : 'empty';
  return `${s.file} (${what}${s.parts.length > 1 ? `, ${s.parts.length} files` : ''}): ${s.keys} keys, ${formatBytes(s.bytes)}${s.expiredKeys ? `, ${s.expiredKeys} expired left out` : ''}`;
}

function row(n: NamespaceDiff, tty: boolean): Array<string | number> {
  if (!tty) return [n.namespace, n.keysBefore, n.keysAfter, n.added, n.removed, n.grown, n.shrunk, n.bytesBefore, n.bytesAfter, n.bytesDelta, n.ttlCoverageBefore.toFixed(4), n.ttlCoverageAfter.toFixed(4)];
  const delta = n.bytesDelta > 0 ? c().yellow(signed(n.bytesDelta)) : n.bytesDelta < 0 ? c().green(signed(n.bytesDelta)) : '0';
  return [n.declared ? n.namespace : c().dim(n.namespace), n.keysBefore, n.keysAfter, n.added ? `+${n.added}` : 0, n.removed ? `-${n.removed}` : 0, n.grown, n.shrunk, formatBytes(n.bytesBefore), formatBytes(n.bytesAfter), delta, pct(n.ttlCoverageBefore), pct(n.ttlCoverageAfter)];
}

function signed(b: number): string {
  return `${b >= 0 ? '+' : '-'}${formatBytes(Math.abs(b))}`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
