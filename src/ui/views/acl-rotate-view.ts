import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c } from '../colors.js';
import type { NodeRotation, RotationReport } from '../../core/acl/rotation-report.js';
import type { AuthFailure } from '../../core/acl/acl-log.js';

const ACTION_WORDS: Record<RotationReport['action'], string> = {
  start: 'Add a new password (the old one stays accepted)',
  finish: 'Remove the old password',
  rollback: 'Accept the old password again',
};

const CHANGE_WORDS: Record<NodeRotation['change'], string> = {
  'add-new': 'new password added',
  'remove-old': 'old password removed',
  'restore-old': 'old password re-added',
  none: 'already so',
  absent: 'no such user (skipped)',
  failed: 'FAILED',
};

/** The prompt before the first change: what, for whom, on how many nodes of which kind. */
export function rotationQuestion(plan: RotationReport): string {
  const changing = plan.nodes.filter((n) => n.change !== 'none' && n.change !== 'absent');
  const roles = ['master', 'replica', 'sentinel'].map((r) => [r, changing.filter((n) => n.role === r).length] as const).filter(([, n]) => n > 0);
  const links = plan.links.length ? `, and point ${plan.links.length} server credential(s) (${[...new Set(plan.links.map((l) => l.kind))].join(', ')}) at the new one` : '';
  return `${ACTION_WORDS[plan.action]} for ACL user "${plan.user}" on ${changing.length} node(s) (${roles.map(([r, n]) => `${n} ${r}`).join(', ') || 'none'})${links}?`;
}

export function formatAuthFailure(f: AuthFailure): string {
  return `failed authentication as "${f.user}" on ${f.node}: ${f.count} time(s), last from ${f.clientAddr || 'an unknown client'} ${f.ageSeconds.toFixed(1)} s ago`;
}

/** One row per node (what it accepts now and what changed), then links, files, old connections and what to do next. */
export function renderRotation(r: RotationReport, out: Output): void {
  const tty = out.stdoutIsTTY;
  const yesNo = (v: boolean) => (v ? 'yes' : 'no');
  const change = (n: NodeRotation) => {
    const word = r.dryRun || n.planned ? (n.change === 'none' || n.change === 'absent' ? CHANGE_WORDS[n.change] : `would: ${CHANGE_WORDS[n.change]}`) : CHANGE_WORDS[n.change];
    return n.change === 'failed' ? c().red(`${word}: ${n.error ?? ''}`) : word;
  };
  out.print(renderTable(['NODE', 'ROLE', 'CHANGE', 'OLD', 'NEW', 'PERSISTED'], r.nodes.map((n) => [n.address, n.role, change(n), yesNo(n.acceptsOld), yesNo(n.acceptsNew), n.persisted ?? '-']), { tty }));
  const status = r.declined ? c().yellow('declined: nothing was changed') : r.dryRun ? c().cyan('DRY RUN (nothing changed)') : r.refused ? c().red('REFUSED (nothing changed)') : r.complete ? c().green('OK') : c().red('INCOMPLETE');
  out.info(`acl rotate ${r.user} ${r.action === 'start' ? '(phase 1)' : `--${r.action}`}: ${status}; ${r.phase === 'none' ? 'no rotation is open' : `rotation is now "${r.phase}"`} (${r.stateFile})`);
  for (const l of r.links) out.info(`  ${l.kind} on ${l.node}: ${l.change}${l.error ? ` (${l.error})` : ''}`);
  for (const f of r.files) out.info(`  ${f.what} ${f.file}: ${f.change}`);
  for (const g of r.oldConnections) {
    out.warn(`  ${g.connections} connection(s) of "${g.user}" from ${g.source} on ${g.node} opened before phase 1 (oldest ${g.oldestAgeSeconds} s${g.names.length ? `; ${g.names.join(', ')}` : ''})`);
  }
  for (const f of r.authFailures) out.warn(`  ${formatAuthFailure(f)}`);
  if (r.refused) out.warn(`refused: ${r.refused}`);
  out.info(`next: ${r.next}`);
}
