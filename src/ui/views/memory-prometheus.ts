import type { MemoryReport } from '../../core/memory/types.js';

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * A memory report in Prometheus text exposition (node_exporter's textfile collector): per
 * namespace keys, bytes, keys without a TTL and TTL coverage; findings by severity; totals; when
 * the data was taken (the backup's time with --from, else now).
 */
export function renderMemoryPrometheus(report: MemoryReport): string {
  const source = report.backup ? 'backup' : report.source;
  const lines: string[] = [];
  const gauge = (name: string, help: string, rows: Array<[string, number]>) => {
    lines.push(`# HELP gridctl_memory_${name} ${help}`, `# TYPE gridctl_memory_${name} gauge`);
    for (const [labels, value] of rows) lines.push(`gridctl_memory_${name}${labels ? `{${labels}}` : ''} ${Number.isFinite(value) ? value : 'NaN'}`);
  };
  const ns = (n: MemoryReport['namespaces'][number]) => `namespace="${esc(n.name)}",kind="${n.kind ?? 'undeclared'}",source="${source}"`;
  gauge('namespace_keys', 'Keys in the namespace.', report.namespaces.map((n) => [ns(n), n.keys]));
  gauge('namespace_bytes', 'Bytes of the namespace (MEMORY USAGE, or its formula over a backup).', report.namespaces.map((n) => [ns(n), n.bytes]));
  gauge('namespace_keys_without_ttl', 'Keys of the namespace without a TTL.', report.namespaces.map((n) => [ns(n), n.keys - n.ttl.withTtl]));
  gauge('namespace_ttl_coverage_ratio', 'Share of the namespace\'s keys with a TTL (0..1).', report.namespaces.map((n) => [ns(n), n.ttl.coverage]));
  const bySeverity = new Map<string, number>([['info', 0], ['warning', 0], ['critical', 0]]);
  for (const f of report.findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  gauge('findings', 'Findings by severity.', [...bySeverity].map(([s, n]) => [`severity="${s}",source="${source}"`, n]));
  gauge('keys', 'Keys analysed.', [[`source="${source}"`, report.totals.keys]]);
  gauge('bytes', 'Bytes of all keys analysed.', [[`source="${source}"`, report.totals.bytes]]);
  const taken = report.backup?.parts[0]?.savedAt ?? report.generatedAt;
  gauge('data_timestamp_seconds', 'When the analysed data was taken (a backup\'s time with --from).', [[`source="${source}"`, Math.floor(Date.parse(taken) / 1000)]]);
  return lines.join('\n');
}
