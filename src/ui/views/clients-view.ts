import type { Output } from '../output.js';
import { c } from '../colors.js';
import { renderTable } from '../table.js';
import { summaryLine } from '../summary-line.js';
import { renderGauges } from '../prometheus.js';
import { formatBytes } from '../../core/memory/parse-size.js';
import type { ClientsReport, KillReport, KillTarget } from '../../core/clients/types.js';

const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v * 100)}%`);


/** `gridctl clients`: a row per group, the nodes against maxclients, then the findings. */
export function renderClients(r: ClientsReport, out: Output, format: string | undefined): void {
  if (format === 'prometheus') return out.print(clientsPrometheus(r));
  const tty = out.stdoutIsTTY;
  const head = [...r.by.map((d) => d.toUpperCase()), 'COUNT', 'IDLE P50', 'IDLE P99', 'IDLE MAX', 'IN FLIGHT', 'MEMORY', 'TLS', 'ACTIVE', 'NODES'];
  const rows = r.groups.map((g) => [
    ...r.by.map((d) => g.key[d] ?? ''),
    g.count,
    tty ? `${g.idle.p50}s` : g.idle.p50,
    tty ? `${g.idle.p99}s` : g.idle.p99,
    tty ? `${g.idle.max}s` : g.idle.max,
    g.inFlight,
    tty ? formatBytes(g.memoryBytes) : g.memoryBytes,
    tty ? pct(g.tlsShare) : (g.tlsShare?.toFixed(4) ?? '-'),
    tty ? pct(g.activeShare) : g.activeShare.toFixed(4),
    tty ? g.nodes.length : g.nodes.join(','),
  ]);
  if (rows.length) out.print(renderTable(head, rows, { tty }));
  if (tty) out.print(renderTable(['NODE', 'ROLE', 'CLIENTS', 'MAXCLIENTS', 'REPLICATION LINKS'], r.nodes.map((n) => [n.address, n.role, n.connected, n.maxclients ?? '-', n.replicationLinks]), { tty: true }));
  for (const f of r.findings) (tty ? (l: string) => out.print(l) : (l: string) => out.info(l))(`${c().yellow('WARNING')} ${f.message}`);
  summaryLine(out, `${r.totals.clients} connection(s) on ${r.nodes.length} node(s), ${r.totals.inFlight} in flight, ${formatBytes(r.totals.memoryBytes)}, TLS ${pct(r.totals.tlsShare)}; pool size ${r.poolSize}`);
}

function clientsPrometheus(r: ClientsReport): string {
  const labels = (g: ClientsReport['groups'][number]) => Object.fromEntries(Object.entries(g.key).map(([k, v]) => [k, v ?? '']));
  return renderGauges([
    { name: 'gridctl_clients_connections', help: 'Connections of the group (all data nodes).', samples: r.groups.map((g) => ({ labels: labels(g), value: g.count })) },
    { name: 'gridctl_clients_idle_p99_seconds', help: 'p99 of the seconds since the last command.', samples: r.groups.map((g) => ({ labels: labels(g), value: g.idle.p99 })) },
    { name: 'gridctl_clients_in_flight', help: 'Blocked, in a MULTI, or with a command being read.', samples: r.groups.map((g) => ({ labels: labels(g), value: g.inFlight })) },
    { name: 'gridctl_clients_memory_bytes', help: 'CLIENT LIST tot-mem of the group.', samples: r.groups.map((g) => ({ labels: labels(g), value: g.memoryBytes })) },
    { name: 'gridctl_clients_tls_ratio', help: 'Share of the group connected to the TLS port.', samples: r.groups.map((g) => ({ labels: labels(g), value: g.tlsShare })) },
    { name: 'gridctl_clients_node_connections', help: 'Connections per node (no replication links).', samples: r.nodes.map((n) => ({ labels: { node: n.address, role: n.role }, value: n.connected })) },
    { name: 'gridctl_clients_node_maxclients', help: 'maxclients per node.', samples: r.nodes.map((n) => ({ labels: { node: n.address, role: n.role }, value: n.maxclients })) },
  ]);
}

function targetRows(targets: KillTarget[], tty: boolean): string {
  return renderTable(['NODE', 'ID', 'ADDR', 'USER', 'NAME', 'IDLE'], targets.map((t) => [t.node, t.id, t.addr, t.user, t.name || '-', tty ? `${t.idleSeconds}s` : t.idleSeconds]), { tty });
}

/** `clients kill`: the connections closed (or that would be), then what was left alone. */
export function renderKill(r: KillReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  const shown = r.dryRun ? r.targets : r.killed;
  if (shown.length) out.print(targetRows(shown, tty));
  const filter = `idle >= ${r.idleSeconds}s${r.user ? `, user ${r.user}` : ''}${r.addr ? `, from ${r.addr}` : ''}`;
  if (!r.targets.length) return summaryLine(out, `no connection is idle >= ${r.idleSeconds}s${r.user ? ` for user ${r.user}` : ''}${r.addr ? ` from ${r.addr}` : ''}; nothing changed`);
  const kept = r.protected ? `; ${r.protected} gridctl or replication connection(s) left alone` : '';
  if (r.dryRun) return summaryLine(out, `dry run: would close ${r.targets.length} connection(s) (${filter})${kept}; nothing changed`);
  const skipped = r.skipped.length ? `; ${r.skipped.length} skipped (active again or gone): ${r.skipped.map((t) => `${t.node} id ${t.id}`).join(', ')}` : '';
  summaryLine(out, `closed ${r.killed.length} connection(s) (${filter})${skipped}${kept}`);
}
