import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c, paintStatus } from '../colors.js';
import type { DrillCheck } from '../../core/drill/drill-check.js';
import type { RestoreDrillReport } from '../../core/drill/restore-drill.js';
import { describeServer } from '../../core/compat/server-identity.js';

/** The checks of a drill: a table on a terminal, one tab-separated row per check when piped. */
function renderDrillChecks(checks: readonly DrillCheck[], tty: boolean): string {
  const rows = checks.map((ch) => [ch.check, tty ? paintStatus(ch.status) : ch.status, ch.expected ?? '', ch.actual ?? '', ch.detail ?? '']);
  return renderTable(tty ? ['CHECK', 'STATUS', 'EXPECTED', 'FOUND', 'DETAIL'] : [], rows, { tty });
}

/** `drill restore`: what was restored where, how long it took, then every check. */
export function renderRestoreDrill(r: RestoreDrillReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  if (tty) {
    const b = r.backup;
    out.print(`${r.ok ? c().green('DRILL PASSED') : c().red('DRILL FAILED')}  ${r.file}`);
    out.print(`backup    ${b.mode}, ${b.topology}, ${describeServer({ engine: b.engine, version: b.serverVersion })}, ${b.records} records, taken ${b.startedAt} (${formatAge(b.ageSeconds)} ago)`);
    out.print(`restored  into a throwaway ${r.throwaway.topology} deployment (${r.throwaway.processes} processes, ${describeServer({ engine: r.throwaway.engine, version: r.throwaway.serverVersion })}, started in ${r.throwaway.startSeconds.toFixed(1)} s; stopped and removed)`);
    out.print(`RTO       ${r.restoreSeconds.toFixed(2)} s for ${r.restored} keys on this machine (${r.skippedExpired} expired since the backup)`);
    out.print('');
  }
  out.print(renderDrillChecks(r.checks, tty));
}

function formatAge(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/**
 * The textfile of `drill restore` for node_exporter: success, the restore time (RTO) and the age of
 * the backup restored. A drill that could not run at all writes success 0 and nothing else.
 */
export function renderRestoreDrillPrometheus(r: RestoreDrillReport | undefined, at: Date): string {
  const metric = (name: string, help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];
  return [
    ...metric('gridctl_drill_restore_success', 'The last restore drill passed (1) or not (0).', r?.ok ? 1 : 0),
    ...(r
      ? [
          ...metric('gridctl_drill_restore_seconds', 'Restore time of the last drill, verification included (RTO on the drill host).', r.restoreSeconds),
          ...metric('gridctl_drill_restore_age_seconds', 'Age of the backup the last drill restored, when it ran.', r.backup.ageSeconds),
        ]
      : []),
    ...metric('gridctl_drill_restore_timestamp_seconds', 'When the last restore drill ran.', Math.floor(at.getTime() / 1000)),
  ].join('\n') + '\n';
}
