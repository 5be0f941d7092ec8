import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c } from '../colors.js';
import type { SecurityReport } from '../../core/security/types.js';

const SEVERITY = { critical: () => c().red('CRITICAL'), warning: () => c().yellow('WARNING'), info: () => c().cyan('INFO') } as const;

/** Refused attempts (the data) on stdout; nodes, users and findings after them. */
export function renderSecurityReport(r: SecurityReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  out.print(renderTable(['NODE', 'REASON', 'USER', 'CLIENT', 'COUNT', 'REFUSED', 'FIRST SEEN', 'LAST SEEN'], r.denied.map((g) => [g.node, g.reason, g.user, g.client, g.count, g.objects.join(' '), g.firstSeen ?? '-', g.lastSeen]), { tty }));
  if (tty) {
    out.print('');
    out.print(
      renderTable(
        ['NODE', 'ROLE', 'CLIENTS', 'TLS', 'DEFAULT USER', 'PROTECTED', 'DENIED auth/cmd/key/channel', 'LOG LOST'],
        r.nodes.map((n) => [
          n.address,
          n.role,
          n.clients.total,
          n.clients.tls,
          n.defaultUser.enabled ? (n.defaultUser.nopass ? c().red('on, nopass') : c().yellow('on')) : 'off',
          n.protectedMode === null ? '-' : n.protectedMode ? 'yes' : c().yellow('no'),
          n.deniedCounters ? `${n.deniedCounters.auth}/${n.deniedCounters.cmd}/${n.deniedCounters.key}/${n.deniedCounters.channel}` : '- (7.2+)',
          n.logEntriesLost ?? '- (7.2+)',
        ]),
        { tty },
      ),
    );
    out.print('');
    out.print(renderTable(['USER', 'ON', 'NOPASS', '+@ALL', 'DANGEROUS COMMANDS'], r.users.map((u) => [u.user, u.enabled ? 'yes' : 'no', u.nopass ? c().red('yes') : 'no', u.allCommands ? 'yes' : 'no', u.dangerous.join(', ') || '-']), { tty }));
  }
  if (r.since) out.info(`new since ${r.since.previousRun ?? 'ever (first run with this --since file)'} (${r.since.file})`);
  out.info(`TLS: ${r.tlsShare === null ? 'no client connections' : `${Math.round(r.tlsShare * 100)}% of client connections`}`);
  for (const f of r.findings) out.info(`${SEVERITY[f.severity]()} ${f.message}`);
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** A node_exporter textfile: alert on gridctl_security_acl_denied (refused attempts per reason, user and client). */
export function renderSecurityPrometheus(r: SecurityReport): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, rows: Array<[Record<string, string>, number]>) => {
    lines.push(`# HELP gridctl_security_${name} ${help}`, `# TYPE gridctl_security_${name} gauge`);
    for (const [labels, value] of rows) lines.push(`gridctl_security_${name}{${Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}} ${value}`);
  };
  metric('acl_denied', 'Refused attempts ACL LOG holds, by node, reason (auth, command, key, channel), user and client IP.', r.denied.map((g) => [{ node: g.node, reason: g.reason, user: g.user, client: g.client }, g.count]));
  metric(
    'access_denied_total',
    'INFO acl_access_denied_* counters (Redis 7.2+), by node and reason.',
    r.nodes.flatMap((n) => (n.deniedCounters ? Object.entries(n.deniedCounters).map(([reason, v]) => [{ node: n.address, reason }, v] as [Record<string, string>, number]) : [])),
  );
  metric('clients', 'Client connections by node and transport (gridctl excluded).', r.nodes.flatMap((n) => [[{ node: n.address, transport: 'tls' }, n.clients.tls], [{ node: n.address, transport: 'plain' }, n.clients.total - n.clients.tls]] as Array<[Record<string, string>, number]>));
  metric('default_user_enabled', '1 when the default user is on (2 when also nopass).', r.nodes.map((n) => [{ node: n.address }, n.defaultUser.enabled ? (n.defaultUser.nopass ? 2 : 1) : 0]));
  metric('protected_mode', '1 when protected-mode is yes (data nodes).', r.nodes.filter((n) => n.protectedMode !== null).map((n) => [{ node: n.address }, n.protectedMode ? 1 : 0]));
  metric('user_nopass', '1 for an enabled user with nopass.', r.users.filter((u) => u.enabled).map((u) => [{ user: u.user }, u.nopass ? 1 : 0]));
  metric('user_dangerous_command', '1 when ACL DRYRUN lets the user run the command on a data node.', r.users.flatMap((u) => u.dangerous.map((cmd) => [{ user: u.user, command: cmd }, 1] as [Record<string, string>, number])));
  lines.push('# HELP gridctl_security_findings Findings by severity.', '# TYPE gridctl_security_findings gauge');
  for (const s of ['critical', 'warning', 'info'] as const) lines.push(`gridctl_security_findings{severity="${s}"} ${r.findings.filter((f) => f.severity === s).length}`);
  lines.push('# HELP gridctl_security_timestamp_seconds When the report was made.', '# TYPE gridctl_security_timestamp_seconds gauge', `gridctl_security_timestamp_seconds ${Math.floor(Date.parse(r.generatedAt) / 1000)}`);
  return lines.join('\n');
}
