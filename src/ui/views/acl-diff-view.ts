import type { Output } from '../output.js';
import { renderTable } from '../table.js';
import { c } from '../colors.js';
import type { AclDiffReport } from '../../core/acl/acl-diff.js';

/** One row per user and variant (a user alike everywhere is one row); users.acl drift and unreachable nodes on stderr. */
export function renderAclDiff(r: AclDiffReport, out: Output): void {
  const rows: Array<Array<string | number>> = [];
  for (const u of r.users) {
    const status = u.status === 'same' ? c().green('same') : c().red('DRIFT');
    for (const v of u.variants) rows.push([u.user, u.group, status, v.nodes.join(' '), v.rules]);
    if (u.missingOn.length) rows.push([u.user, u.group, status, u.missingOn.join(' '), c().red('(no such user)')]);
  }
  out.print(renderTable(['USER', 'GROUP', 'STATUS', 'NODES', 'RULES'], rows, { tty: out.stdoutIsTTY }));
  for (const f of r.file?.drift ?? []) out.warn(`${r.file!.path}: user "${f.user}" ${f.problem}${f.nodes.length ? ` (${f.nodes.join(', ')})` : ''}`);
  for (const n of r.unreachable) out.warn(`not compared: ${n.role} ${n.address} (${n.error})`);
  const drifting = r.users.filter((u) => u.status === 'drift').length;
  out.info(`${r.nodes.length} node(s), ${r.users.length} user(s): ${drifting ? `${drifting} drift` : 'no drift between nodes'}${r.file ? `; ${r.file.drift.length ? `${r.file.drift.length} difference(s)` : 'no difference'} with ${r.file.path}` : ''}`);
}
