import path from 'node:path';
import type { ScaffoldPlan } from '../../core/scaffold/plan.js';
import type { ScaffoldResult } from '../../core/scaffold/scaffold.js';
import type { Output } from '../output.js';
import { c } from '../colors.js';
import { renderTable } from '../table.js';

/** The plan as a table: ACTION, PATH, MODE, NOTE (tab-separated rows when piped). */
function formatPlan(plan: ScaffoldPlan, tty: boolean): string {
  const k = c();
  const paint = (a: string, blocked?: boolean) =>
    blocked ? k.red.bold('blocked') : a === 'create' ? k.green(a) : a === 'overwrite' ? k.yellow(a) : k.dim(a);
  const rows = plan.entries.map((e) => [paint(e.action, e.blocked), e.path, e.mode, e.reason ?? '']);
  return renderTable(['ACTION', 'PATH', 'MODE', 'NOTE'], rows, { tty });
}

function formatPlanSummary(plan: ScaffoldPlan, dryRun: boolean): string {
  const s = plan.summary;
  const parts = dryRun
    ? [`dry run, nothing written: ${s.create} to create`, `${s.overwrite} to overwrite`, `${s.unchanged} unchanged`]
    : [`${s.create} created`, `${s.overwrite} overwritten`, `${s.unchanged} unchanged`];
  if (s.blocked) parts.push(`${s.blocked} blocked (changed since gridctl wrote them; --force overwrites)`);
  return parts.join(', ');
}

/** `gridctl init`: the plan on stdout (the result); summary, warnings and next steps on stderr. */
export function renderInit(result: ScaffoldResult, out: Output): void {
  if (out.json) {
    out.printJson(result);
    return;
  }
  out.print(formatPlan(result.plan, out.stdoutIsTTY));
  for (const w of result.warnings) out.warn(`${c().yellow('warning:')} ${w}`);
  out.info(formatPlanSummary(result.plan, result.dryRun));
  if (result.dryRun) return;
  const rel = path.relative(process.cwd(), result.outDir) || '.';
  out.info(
    `${result.name}: ${result.topology}, ${result.profile}, server ${result.version}, TLS ${result.tls ? 'on' : 'off'}, persistence ${result.persistence}, ${result.processes.length} process${result.processes.length === 1 ? '' : 'es'}`,
  );
  out.info(`next: gridctl up --from ${rel}   (run exactly these files locally), then gridctl health; see ${path.join(rel, 'RUNBOOK.md')}`);
  out.info(`secrets are in ${path.join(rel, 'secrets')}/ (0600, git-ignored): never commit them`);
}
