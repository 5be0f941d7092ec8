import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { formatBytes } from '../../core/memory/parse-size.js';
import { c } from '../colors.js';
import { describeServer } from '../../core/compat/server-identity.js';
import type { BackupReport } from '../../core/backup/backup.js';
import type { BackupPlan } from '../../core/backup/backup-plan.js';
import type { BackupVerifyReport } from '../../core/backup/verify-backup.js';

/** Cron-friendly: nothing on success unless --verbose, a terminal, or --json. */
export function renderBackup(report: BackupReport, out: Output): void {
  if (out.json) return out.printJson(report);
  if (!out.verbose && !out.stdoutIsTTY) return;
  const tty = out.stdoutIsTTY;
  const rows: Array<Array<string | number>> = [
    ['file', report.file],
    ['manifest', report.manifest],
    ['mode', report.mode + (report.encrypted ? ' (encrypted, AES-256-GCM)' : '')],
    ['keys', report.records],
    ['size', `${formatBytes(report.bytes)}${report.mode === 'logical' ? ` (${formatBytes(report.rawBytes)} before compression)` : ''}`],
    ['sha256', report.sha256 || '(see manifest)'],
    ['duration', `${(report.durationMs / 1000).toFixed(2)} s (${report.keysPerSecond} keys/s)`],
    ['verified', report.verified ? c().green('yes') : c().red('no')],
  ];
  for (const d of report.deleted) rows.push(['deleted (--keep)', d]);
  out.print(renderTable(['FIELD', 'VALUE'], rows, { tty }));
  if (Object.keys(report.countsByType).length) {
    out.print('');
    out.print(renderTable(['TYPE', 'KEYS'], Object.entries(report.countsByType).map(([t, n]) => [t, n ?? 0]), { tty }));
  }
  out.print('');
  out.print(renderTable(['MASTER', 'READ FROM', 'ROLE', 'VERSION', 'KEYS'], report.masters.map((m) => [m.from, m.address, m.role, describeServer({ engine: m.engine, version: m.serverVersion }), m.records]), { tty }));
}

export function renderBackupPlan(plan: BackupPlan, out: Output): void {
  if (out.json) return out.printJson(plan);
  out.print(renderTable(['MASTER', 'READ FROM', 'ROLE', 'VERSION', 'KEYS'], plan.sources.map((s) => [s.from, s.address, s.role, describeServer({ engine: s.engine, version: s.serverVersion }), s.keys]), { tty: out.stdoutIsTTY }));
  out.info(`dry run: ${plan.mode === 'rdb' ? 'an RDB' : 'a logical'} backup of ${plan.keys} keys would be written to ${plan.dir}; nothing was written`);
}

/** What a verified backup was read as, in words. */
const KIND_NAMES = { logical: 'logical archive (gridctl backup)', 'rdb-backup': 'RDB backup (gridctl backup --mode rdb)', 'rdb-file': 'plain RDB file' } as const;

export function renderVerify(report: BackupVerifyReport, out: Output): void {
  if (out.json) return out.printJson(report);
  const tty = out.stdoutIsTTY;
  if (report.kind !== 'logical') {
    const checker = (f: (typeof report.files)[number]) => `${f.check.tool}${f.check.version ? ` ${f.check.version}` : ''}: ${f.check.message}`;
    out.print(renderTable(['FILE', 'BYTES', 'SHA256', 'CHECK'], report.files.map((f) => [f.name, f.bytes, f.sha256.slice(0, 16), checker(f)]), { tty }));
    out.info(`${report.file}: OK, ${KIND_NAMES[report.kind]}`);
    return;
  }
  const r = report;
  const rows: Array<Array<string | number>> = [
    ['file', r.file],
    ['kind', KIND_NAMES.logical + (r.manifest ? ', matches its manifest' : '')],
    ['status', c().green('OK')],
    ['format', `${r.header.format} (gridctl ${r.header.gridctlVersion})`],
    ['source', `${r.header.topology}, ${describeServer({ engine: r.header.engine, version: r.header.serverVersion })}, ${r.header.masters.length} master(s)`],
    ['taken', `${r.header.startedAt} .. ${r.footer.endedAt}`],
    ['keys', r.records],
    ['bytes', `${r.bytes} (${formatBytes(r.footer.rawBytes)} uncompressed)`],
    ['encrypted', r.encrypted ? 'yes (AES-256-GCM)' : 'no'],
    ['expired since', r.expiredNow],
    ['payload RDB version', `${r.maxRdbVersion}`],
  ];
  for (const [t, n] of Object.entries(r.countsByType)) rows.push([`keys: ${t}`, n ?? 0]);
  out.print(renderTable(['FIELD', 'VALUE'], rows, { tty }));
}
