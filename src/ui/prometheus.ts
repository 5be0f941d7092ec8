/** One gauge of the Prometheus text exposition: its samples, each with its labels. */
export interface Gauge {
  name: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number | null }>;
}

/** Gauges in the text format node_exporter's textfile collector reads; a null value is left out. */
export function renderGauges(gauges: Gauge[]): string {
  const lines: string[] = [];
  for (const g of gauges) {
    const samples = g.samples.filter((s) => s.value !== null && Number.isFinite(s.value));
    if (!samples.length) continue;
    lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
    for (const s of samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      lines.push(`${g.name}${labels ? `{${labels}}` : ''} ${s.value}`);
    }
  }
  return lines.join('\n');
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
