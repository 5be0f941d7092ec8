import { setTimeout as sleep } from 'node:timers/promises';
import { GridctlError } from '../errors.js';
import { authFailureCount, authFailuresSince, type AuthFailure } from './acl-log.js';
import { writeRotationState, type RotationState } from './rotation-state.js';
import { renderAclFileHashes, rewriteIfChanged } from './secret-files.js';
import { applyHashChange, planHashChange, type HashChange } from './rotate-apply.js';
import { connectionsOpenedBefore, describeNodes, mayProceed, type NodeView, type RotationRun } from './rotate.js';

/**
 * --finish: the old password is removed from every node, once every node accepts the new one and
 * no connection of the user older than phase 1 remains (or --force); then ACL LOG is watched for
 * failed authentications as the user: a client still sending the old password shows up there.
 */
export async function runFinish(run: RotationRun): Promise<void> {
  const { opts, views, report } = run;
  const state = run.state!;
  const lacking = views.filter((v) => v.acl.exists && !v.acl.hashes.includes(state.newHash));
  if (lacking.length) {
    throw new GridctlError('OPERATION_FAILED', `${lacking.map((v) => `${v.node.role} ${v.node.address}`).join(', ')} do${lacking.length > 1 ? '' : 'es'} not accept the new password of "${opts.user}"; nothing was removed`, {
      hint: `a node replaced or restored since phase 1 lacks it: rerun \`gridctl acl rotate ${opts.user}\` to add it there, then --finish`,
    });
  }
  const plan: HashChange = { add: [state.newHash], drop: state.oldHashes, change: 'remove-old' };
  report.nodes = planHashChange(views, state, plan);
  report.oldConnections = await connectionsOpenedBefore(views, opts.user, state.addedAt ?? state.startedAt);
  report.files = [{ file: opts.stateFile, what: 'state', change: 'planned' }, ...(opts.aclFile ? [{ file: opts.aclFile, what: 'users.acl' as const, change: 'planned' as const }] : [])];
  if (report.oldConnections.length && !opts.force) {
    const n = report.oldConnections.reduce((sum, g) => sum + g.connections, 0);
    report.refused = `${n} connection(s) of "${opts.user}" opened before the new password was on every node remain (${report.oldConnections.map((g) => `${g.source} on ${g.node}`).join(', ')}); they may hold the old password`;
    report.next = `move those clients to the new password and rerun, or pass --force (they stay connected; a reconnect with the old password would be refused)`;
    return;
  }
  if (!(await mayProceed(run, 'remove-old', 'remove the old password'))) return;
  const baselines = await Promise.all(views.map((v) => authFailureCount(v.node.client, opts.user).catch(() => 0)));
  await writeRotationState(opts.stateFile, { ...state, phase: 'finishing' });
  report.nodes = await applyHashChange(views, opts.user, state, plan);
  report.files = [{ file: opts.stateFile, what: 'state', change: 'written' }];
  if (report.nodes.some((n) => n.change === 'failed')) {
    report.phase = 'finishing';
    report.next = `every node accepts the new password; the old one is still accepted on ${describeNodes(report, (n) => n.acceptsOld)}: rerun \`gridctl acl rotate ${opts.user} --finish\` (or --rollback)`;
    return;
  }
  if (opts.aclFile && (await rewriteIfChanged(opts.aclFile, (t) => renderAclFileHashes(t, opts.user, [state.newHash])))) report.files.push({ file: opts.aclFile, what: 'users.acl', change: 'written' });
  await writeRotationState(opts.stateFile, { ...state, phase: 'finished', finishedAt: new Date().toISOString() });
  report.phase = 'finished';
  report.complete = true;
  report.authFailures = await watchAuthFailures(views, opts.user, baselines, opts.watchMs, opts.onAuthFailure);
  report.next = report.authFailures.length
    ? `clients still send the old password (above): move them, or \`gridctl acl rotate ${opts.user} --rollback\` to accept it again`
    : `only the new password is accepted${opts.watchMs ? `; no failed authentication as "${opts.user}" in ${Math.round(opts.watchMs / 1000)} s` : ''}`;
}

/** ACL LOG of every node, polled for `ms`: the user's failed authentications beyond each node's baseline, each reported once as it grows. */
async function watchAuthFailures(views: readonly NodeView[], user: string, baselines: number[], ms: number, onFailure?: (f: AuthFailure) => void): Promise<AuthFailure[]> {
  const seen = new Map<string, AuthFailure>();
  const deadline = Date.now() + ms;
  while (ms > 0) {
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
    const found = await Promise.all(views.map((v, i) => authFailuresSince(v.node.client, v.node.address, user, baselines[i]!).catch(() => undefined)));
    for (const f of found) {
      if (!f || seen.get(f.node)?.count === f.count) continue;
      seen.set(f.node, f);
      onFailure?.(f);
    }
    if (Date.now() >= deadline) break;
  }
  return [...seen.values()];
}

/** --rollback: the old password is accepted again on every node (the new one stays), and the rotation is open again. */
export async function runRollback(run: RotationRun): Promise<void> {
  const { opts, views, report } = run;
  const state = run.state!;
  const plan: HashChange = { add: state.oldHashes, drop: [], change: 'restore-old' };
  report.nodes = planHashChange(views, state, plan);
  report.files = [{ file: opts.stateFile, what: 'state', change: 'planned' }];
  if (!(await mayProceed(run, 'restore-old', 'accept the old password again'))) return;
  report.nodes = await applyHashChange(views, opts.user, state, plan);
  report.files = [{ file: opts.stateFile, what: 'state', change: 'written' }];
  if (report.nodes.some((n) => n.change === 'failed')) {
    report.next = `the old password is accepted again on ${describeNodes(report, (n) => n.acceptsOld)} only: rerun \`gridctl acl rotate ${opts.user} --rollback\``;
    return;
  }
  if (opts.aclFile && (await rewriteIfChanged(opts.aclFile, (t) => renderAclFileHashes(t, opts.user, [...state.oldHashes, state.newHash])))) report.files.push({ file: opts.aclFile, what: 'users.acl', change: 'written' });
  const reopened: RotationState = { ...state, phase: 'added' };
  delete reopened.finishedAt;
  await writeRotationState(opts.stateFile, reopened);
  report.phase = 'added';
  report.complete = true;
  report.next = `every node accepts both passwords again; \`gridctl acl rotate ${opts.user} --finish\` when the clients have moved`;
}
