import type { HealthCheck, HealthReport } from '../../core/health/types.js';
import { c, paintStatus } from '../colors.js';
import { renderTable } from '../table.js';

/**
 * The table view of a HealthReport, grouped by node. On a terminal: one section per node with a
 * header; piped: one tab-separated row per check (node, role, check, status, value, threshold).
 */
export function renderHealthTable(report: HealthReport, tty: boolean): string {
  const groups: Array<{ title: string; role: string; checks: HealthCheck[] }> = [
    ...report.nodes.map((n) => ({ title: n.address, role: n.role, checks: n.checks })),
    ...(report.deployment.length ? [{ title: 'deployment', role: report.topology, checks: report.deployment }] : []),
  ];
  if (!tty) {
    const rows = groups.flatMap((g) => g.checks.map((ch) => [g.title, g.role, ch.check, ch.status, ch.value, ch.threshold ?? '', ch.detail ?? '']));
    return renderTable([], rows, { tty: false });
  }
  const parts: string[] = [];
  for (const g of groups) {
    parts.push(c().bold(`${g.title}  ${c().dim(g.role)}`));
    const rows = g.checks.map((ch) => [ch.check, paintStatus(ch.status), ch.value + (ch.detail ? c().dim(` — ${ch.detail}`) : ''), ch.threshold ?? '']);
    parts.push(renderTable(['CHECK', 'STATUS', 'VALUE', 'THRESHOLD'], rows, { tty: true }));
  }
  const s = report.summary;
  parts.push(`${paintStatus(s.status)}  ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.skip} skipped  (${report.topology}${report.tls ? ', TLS' : ''}, ${report.source})`);
  return parts.join('\n');
}

const STATUS_VALUE: Record<string, number> = { PASS: 0, WARN: 1, FAIL: 2, SKIP: -1 };

/** Prometheus text exposition, for node_exporter's textfile collector. */
export function renderHealthPrometheus(report: HealthReport): string {
  const lines: string[] = [
    '# HELP gridctl_health_check_status Result of a gridctl health check (0 pass, 1 warn, 2 fail, -1 skipped).',
    '# TYPE gridctl_health_check_status gauge',
  ];
  const metricLines: string[] = [];
  const seenMetric = new Set<string>();
  const emit = (node: string, role: string, ch: HealthCheck) => {
    const labels = `node="${esc(node)}",role="${esc(role)}",check="${esc(ch.check)}"`;
    lines.push(`gridctl_health_check_status{${labels}} ${STATUS_VALUE[ch.status]}`);
    for (const [name, value] of Object.entries(ch.metrics ?? {})) {
      const metric = `gridctl_${name}`;
      if (!seenMetric.has(metric)) {
        seenMetric.add(metric);
        metricLines.push(`# TYPE ${metric} gauge`);
      }
      metricLines.push(`${metric}{${labels}} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
  };
  for (const n of report.nodes) for (const ch of n.checks) emit(n.address, n.role, ch);
  for (const ch of report.deployment) emit('deployment', report.topology, ch);
  lines.push(
    '# HELP gridctl_health_status Overall health (0 pass, 1 warn, 2 fail).',
    '# TYPE gridctl_health_status gauge',
    `gridctl_health_status ${STATUS_VALUE[report.summary.status]}`,
    '# HELP gridctl_health_timestamp_seconds When the checks ran.',
    '# TYPE gridctl_health_timestamp_seconds gauge',
    `gridctl_health_timestamp_seconds ${Math.floor(Date.parse(report.checkedAt) / 1000)}`,
  );
  return [...lines, ...sortMetricBlocks(metricLines)].join('\n');
}

/** Group samples under their # TYPE line (the exposition format wants a metric's samples together). */
function sortMetricBlocks(lines: string[]): string[] {
  const blocks = new Map<string, string[]>();
  for (const l of lines) {
    const name = l.startsWith('# TYPE ') ? l.split(' ')[2]! : l.slice(0, l.indexOf('{'));
    if (!blocks.has(name)) blocks.set(name, []);
    blocks.get(name)!.push(l);
  }
  return [...blocks.values()].flat();
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
