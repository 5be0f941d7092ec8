import { randomBytes } from 'node:crypto';
import { GridctlError } from '../errors.js';
import { registerSecret } from '../mask.js';
import { readPasswordFile } from '../redis/password.js';
import { passwordHash } from '../scaffold/acl.js';
import type { Deployment } from '../redis/deployment.js';
import { readAclUser, type AclUserState } from './acl-user.js';
import { clientList, groupOldConnections, type OldConnections } from './client-list.js';
import { openEveryNode, closeNodes, type OpenNode } from './every-node.js';
import { readRotationState, type RotationState } from './rotation-state.js';
import type { RotationAction, RotationReport } from './rotation-report.js';
import { runStart } from './rotate-start.js';
import { runFinish, runRollback } from './rotate-finish.js';

export interface RotateOptions {
  user: string;
  action: RotationAction;
  dryRun: boolean;
  /** --finish although connections opened before phase 1 remain. */
  force: boolean;
  stateFile: string;
  /** Where the new password is kept (secrets/<role>.env, or a plain password file). */
  secretFile?: string;
  /** The new password, from the operator (else one is generated). */
  newPasswordFile?: string;
  /** users.acl whose hashes are re-rendered, when it exists. */
  aclFile?: string;
  /** secrets/replication.conf, secrets/sentinel.conf: masterauth / auth-pass lines, when they exist. */
  includeFiles: string[];
  /** --finish: how long to watch ACL LOG for failed authentications afterwards. */
  watchMs: number;
  /** Asked once the plan is known, before the first change; false = declined (nothing changed). */
  confirm(plan: RotationReport): Promise<boolean>;
  /** A failed authentication seen while watching (the command prints it as it comes). */
  onAuthFailure?(failure: import('./acl-log.js').AuthFailure): void;
}

/** One connected node and what its ACL says of the user before the run. */
export interface NodeView {
  node: OpenNode;
  acl: AclUserState;
}

export interface RotationRun {
  dep: Deployment;
  opts: RotateOptions;
  state: RotationState | undefined;
  views: NodeView[];
  report: RotationReport;
}

/**
 * `gridctl acl rotate USER`: change a user's password on every node of a deployment with no
 * moment where either password is refused. Phase 1 adds the new one everywhere (old kept),
 * persists it, moves the servers' own credentials (masterauth, auth-pass) and the secret file;
 * --finish removes the old one; --rollback re-adds it. Every phase checks every node first and
 * is idempotent, so a rerun after a failure completes what is left.
 */
export async function rotateAclUser(dep: Deployment, opts: RotateOptions): Promise<RotationReport> {
  const state = await readRotationState(opts.stateFile);
  if (state && state.user !== opts.user) {
    throw new GridctlError('CONFIG_INVALID', `${opts.stateFile} holds a rotation of "${state.user}", not "${opts.user}"`, { hint: 'pass --state-file for this user' });
  }
  checkActionAgainstState(opts, state);
  const { open, unreachable } = await openEveryNode(dep, state?.nodes ?? []);
  try {
    if (unreachable.length) {
      throw new GridctlError('UNREACHABLE', `${unreachable.length} of ${open.length + unreachable.length} nodes cannot be reached: ${unreachable.map((n) => `${n.role} ${n.address} (${n.error})`).join('; ')}; nothing was changed`, {
        hint: `a rotation changes every node or none: start ${unreachable.length > 1 ? 'them' : 'it'} (or remove ${unreachable.length > 1 ? 'them' : 'it'} from the deployment) and rerun${state ? `; the rotation stays "${state.phase}" (${opts.stateFile})` : ''}`,
        details: { unreachable: unreachable.map((n) => ({ address: n.address, role: n.role })) },
      });
    }
    const views = await Promise.all(open.map(async (node) => ({ node, acl: await readAclUser(node.client, opts.user) })));
    checkUserPresence(opts.user, views);
    const report: RotationReport = {
      user: opts.user,
      action: opts.action,
      dryRun: opts.dryRun,
      topology: dep.spec.topology,
      phase: state?.phase ?? 'none',
      complete: false,
      nodes: [],
      links: [],
      files: [],
      oldConnections: [],
      authFailures: [],
      next: '',
      stateFile: opts.stateFile,
      coverage: await dep.coverage(),
    };
    const run: RotationRun = { dep, opts, state, views, report };
    if (opts.action === 'start') await runStart(run);
    else if (opts.action === 'finish') await runFinish(run);
    else await runRollback(run);
    return report;
  } finally {
    closeNodes(open);
  }
}

function checkActionAgainstState(opts: RotateOptions, state: RotationState | undefined): void {
  const u = opts.user;
  if (opts.action === 'start' && state?.phase === 'finishing') {
    throw new GridctlError('USAGE', `the old password of "${u}" is being removed (an earlier --finish did not complete)`, { hint: `complete it with \`gridctl acl rotate ${u} --finish\`, or undo it with --rollback` });
  }
  if (opts.action === 'finish' && (!state || state.phase === 'finished' || state.phase === 'adding')) {
    const why = !state ? `no rotation of "${u}" is open (${opts.stateFile})` : state.phase === 'finished' ? `the rotation of "${u}" is already finished` : `phase 1 of the rotation of "${u}" did not complete: some nodes may not accept the new password`;
    throw new GridctlError('USAGE', why, { hint: state?.phase === 'finished' ? `start a new one with \`gridctl acl rotate ${u}\`` : `run \`gridctl acl rotate ${u}\` (phase 1) first` });
  }
  if (opts.action === 'rollback' && !state) {
    throw new GridctlError('USAGE', `no rotation of "${u}" to roll back (${opts.stateFile})`, { hint: 'pass the --state-file of the rotation' });
  }
}

/** The user must be on every data node (a missing one is drift: fix it first) and on all or none of the Sentinels. */
function checkUserPresence(user: string, views: readonly NodeView[]): void {
  const data = views.filter((v) => v.node.role !== 'sentinel');
  const sentinels = views.filter((v) => v.node.role === 'sentinel');
  const missing = data.filter((v) => !v.acl.exists);
  if (missing.length === data.length) {
    throw new GridctlError('NOT_FOUND', `ACL user "${user}" does not exist on any data node`, { hint: 'check the name (ACL LIST / users.acl)' });
  }
  const missingSentinels = sentinels.filter((v) => !v.acl.exists);
  const drift = [...missing, ...(missingSentinels.length < sentinels.length ? missingSentinels : [])];
  if (drift.length) {
    throw new GridctlError('CONFIG_INVALID', `ACL user "${user}" is missing on ${drift.map((v) => `${v.node.role} ${v.node.address}`).join(', ')} but exists on other nodes; nothing was changed`, {
      hint: 'create it there with the same rules first (ACL SETUSER, or reload users.acl): rotation changes passwords, it does not invent a user\'s rules',
    });
  }
  const nopass = views.filter((v) => v.acl.flags.includes('nopass'));
  if (nopass.length) {
    throw new GridctlError('CONFIG_INVALID', `ACL user "${user}" has nopass on ${nopass.map((v) => v.node.address).join(', ')}: any password works, so there is none to rotate`, {
      hint: 'give it a password first (AUTH008); adding one would lock out every client that sends another',
    });
  }
}

/** The new password: the one this rotation already uses (its pending or secret file), --new-password-file, or 32 random bytes in hex. */
export async function newPassword(opts: RotateOptions, state: RotationState | undefined): Promise<{ password: string; generated: boolean }> {
  if (state && state.phase !== 'finished') {
    for (const file of [state.pendingFile, state.secretFile, opts.newPasswordFile]) {
      if (!file) continue;
      const password = await readPasswordFile(file).catch(() => undefined);
      if (password && passwordHash(password) === state.newHash) return { password, generated: false };
    }
    throw new GridctlError('CONFIG_INVALID', `the new password of the open rotation of "${opts.user}" is in none of ${[state.pendingFile, state.secretFile].filter(Boolean).join(', ')}`, {
      hint: 'pass the same password again with --new-password-file, or --rollback and start over',
    });
  }
  if (opts.newPasswordFile) return { password: await readPasswordFile(opts.newPasswordFile), generated: false };
  if (!opts.secretFile) {
    throw new GridctlError('USAGE', `nowhere to keep a generated password for "${opts.user}"`, {
      hint: 'pass --secret-file (e.g. secrets/app.env), or --new-password-file with a password you keep yourself',
    });
  }
  const password = randomBytes(32).toString('hex');
  registerSecret(password);
  return { password, generated: true };
}

/** Hashes a node accepts -> what the report says it accepts. */
export function accepts(hashes: readonly string[], state: Pick<RotationState, 'newHash' | 'oldHashes'>): { acceptsOld: boolean; acceptsNew: boolean } {
  return { acceptsOld: state.oldHashes.some((h) => hashes.includes(h)), acceptsNew: hashes.includes(state.newHash) };
}

/** The user's connections opened before `sinceIso`, on every node. */
export async function connectionsOpenedBefore(views: readonly NodeView[], user: string, sinceIso: string): Promise<OldConnections[]> {
  // CLIENT LIST's age is whole seconds, rounded down: an age at least the elapsed time rounded up
  // is certainly older (one opened less than a second before is missed, never one opened after).
  const minAge = Math.max(0, Math.ceil((Date.now() - Date.parse(sinceIso)) / 1000));
  const lists = await Promise.all(views.map(async (v) => groupOldConnections(v.node.address, await clientList(v.node.client), user, minAge)));
  return lists.flat();
}

/**
 * The gate before a phase's first change: a dry run stops with what it would do, then the operator
 * is asked; false = stop here (the report says why).
 */
export async function mayProceed(run: RotationRun, change: RotationReport['nodes'][number]['change'], doing: string): Promise<boolean> {
  const { opts, report } = run;
  if (opts.dryRun) {
    report.next = `rerun without --dry-run to ${doing} on ${report.nodes.filter((n) => n.change === change).length} node(s)`;
    return false;
  }
  if (await opts.confirm(report)) return true;
  report.declined = true;
  report.next = 'nothing was changed';
  return false;
}

export function describeNodes(report: RotationReport, pick: (n: RotationReport['nodes'][number]) => boolean): string {
  return report.nodes.filter(pick).map((n) => n.address).join(', ') || 'none';
}
