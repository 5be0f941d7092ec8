import cliProgress from 'cli-progress';
import type { MemoryHooks, MemoryProgress } from '../../core/memory/analyze.js';
import { formatBytes } from '../../core/memory/parse-size.js';
import type { Finding, KeyEntry, MemoryReport, NamespaceStats, Severity } from '../../core/memory/types.js';
import { formatDuration } from '../../core/duration.js';
import { c } from '../colors.js';
import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { backupDetails, backupSummary } from './memory-backup-view.js';

export { renderMemoryPrometheus } from './memory-prometheus.js';
export { createFileProgress } from './file-progress.js';

/**
 * What `gridctl memory` prints. --json: the report object. On a terminal: a summary, the
 * namespace table, top keys, findings and the baseline comparison. Piped: the namespace rows as
 * TSV on stdout (the data), summary and findings on stderr.
 */
export function renderMemory(report: MemoryReport, out: Output): void {
  if (out.json) {
    out.printJson(report);
    return;
  }
  const tty = out.stdoutIsTTY;
  const sections: string[] = [];
  const nsTable = renderTable(
    ['NAMESPACE', 'KIND', 'KEYS', 'BYTES', 'SHARE', 'AVG', 'MAX', 'TTL', 'TYPES'],
    report.namespaces.map((n) => namespaceRow(n, tty)),
    { tty },
  );
  if (!tty) {
    out.print(nsTable);
    out.info(summary(report));
    for (const f of report.findings) out.info(`${f.severity.toUpperCase()} ${f.message}${f.examples.length ? ` (e.g. ${f.examples.join(', ')})` : ''}`);
    return;
  }
  sections.push(c().bold(summary(report)));
  if (report.sampling) {
    const s = report.sampling;
    sections.push(
      `sample ${pct(s.ratio)}: ${s.analysedKeys} keys analysed; estimated ${s.keys.estimate} ± ${s.keys.margin95} keys, ${formatBytes(s.bytes.estimate)} ± ${formatBytes(s.bytes.margin95)} (95%)`,
    );
  }
  sections.push(nsTable);
  if (report.backup) sections.push(backupDetails(report));
  if (report.topKeysByBytes.length) sections.push(c().bold('Top keys by bytes') + '\n' + keyTable(report.topKeysByBytes));
  if (report.topKeysByElements.length) sections.push(c().bold('Top keys by elements') + '\n' + keyTable(report.topKeysByElements));
  if (report.findings.length) {
    sections.push(
      c().bold('Findings') +
        '\n' +
        renderTable(
          ['SEVERITY', 'FINDING', 'KEYS', 'DETAIL'],
          report.findings.map((f) => [paintSeverity(f.severity), f.id, f.keys, detail(f)]),
          { tty },
        ),
    );
  } else {
    sections.push(c().green('No findings.'));
  }
  if (report.baseline) {
    const b = report.baseline;
    sections.push(
      c().bold(`Growth since ${b.generatedAt ?? b.file}: ${signedBytes(b.totals.bytesDelta)} (${growthText(b.totals.growthPercent)})`) +
        '\n' +
        renderTable(
          ['NAMESPACE', 'KEYS BEFORE', 'KEYS NOW', 'BYTES BEFORE', 'BYTES NOW', 'DELTA', 'GROWTH'],
          b.namespaces.map((r) => [r.namespace, r.keysBefore, r.keysAfter, formatBytes(r.bytesBefore), formatBytes(r.bytesAfter), signedBytes(r.bytesDelta), growthText(r.growthPercent)]),
          { tty },
        ),
    );
  }
  out.print(sections.join('\n\n'));
}

function summary(r: MemoryReport): string {
  if (r.backup) return backupSummary(r, r.backup);
  const nodes = `${r.nodes.length} ${r.source === 'replicas' ? 'replica' : 'master'}${r.nodes.length === 1 ? '' : 's'}`;
  const noTouch = r.nodes.every((n) => n.noTouch) ? 'NO-TOUCH' : 'LRU/LFU touched (no CLIENT NO-TOUCH before Redis 7.2)';
  return (
    `${r.totals.keys} keys, ${formatBytes(r.totals.bytes)} on ${nodes}; TTL coverage ${pct(r.totals.ttlCoverage)}; ` +
    `${r.technique} technique, ${formatDuration(r.durationMs)} (${r.keysPerSecond} keys/s); ${noTouch}`
  );
}

function namespaceRow(n: NamespaceStats, tty: boolean): Array<string | number> {
  const types = Object.entries(n.types)
    .map(([t, count]) => `${t}:${count}`)
    .join(' ');
  if (!tty) return [n.name, n.kind ?? '-', n.keys, n.bytes, n.share.toFixed(4), n.avgBytes, n.maxBytes, n.ttl.coverage.toFixed(4), types];
  const keys = n.sampled ? `${n.keys} (≈${n.sampled.keys.estimate}±${n.sampled.keys.margin95})` : String(n.keys);
  const bytes = n.sampled ? `${formatBytes(n.bytes)} (≈${formatBytes(n.sampled.bytes.estimate)}±${formatBytes(n.sampled.bytes.margin95)})` : formatBytes(n.bytes);
  return [n.declared ? n.name : c().dim(n.name), n.kind ?? '-', keys, bytes, pct(n.share), formatBytes(n.avgBytes), formatBytes(n.maxBytes), pct(n.ttl.coverage), types];
}

function keyTable(entries: KeyEntry[]): string {
  return renderTable(
    ['KEY', 'NAMESPACE', 'TYPE', 'BYTES', 'ELEMENTS', 'TTL'],
    entries.map((e) => [e.key, e.namespace, e.type, formatBytes(e.bytes), e.elements, e.ttlMs < 0 ? 'none' : formatDuration(e.ttlMs)]),
    { tty: true },
  );
}

function detail(f: Finding): string {
  return f.examples.length ? `${f.message}\ne.g. ${f.examples.join(', ')}` : f.message;
}

function paintSeverity(s: Severity): string {
  if (s === 'critical') return c().red.bold(s);
  if (s === 'warning') return c().yellow(s);
  return c().cyan(s);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function signedBytes(b: number): string {
  return `${b >= 0 ? '+' : '-'}${formatBytes(Math.abs(b))}`;
}

function growthText(g: number | null): string {
  return g === null ? 'new' : `${g >= 0 ? '+' : ''}${g}%`;
}

/**
 * Progress on stderr, on a terminal only (never in a pipe or a CI log): keys done of Σ DBSIZE,
 * rate and ETA. Returns hooks for the core and a stop() for when the analysis ends or fails.
 */
export function createMemoryProgress(out: Output): { hooks: MemoryHooks; stop(): void } {
  if (!out.stderrIsTTY || out.quiet) return { hooks: {}, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  const payload = (p: MemoryProgress) => {
    const seconds = (performance.now() - started) / 1000;
    return { rate: seconds > 0 ? Math.round(p.scanned / seconds) : 0 };
  };
  return {
    hooks: {
      onStart(p) {
        started = performance.now();
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: p.total === null ? 'scanning {value} keys | {rate} keys/s' : 'scanning {bar} {value}/{total} keys | {rate} keys/s | ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total ?? 0, 0, payload(p));
      },
      onProgress(p) {
        bar?.update(p.total !== null ? Math.min(p.scanned, p.total) : p.scanned, payload(p));
      },
    },
    stop() {
      bar?.stop();
    },
  };
}
