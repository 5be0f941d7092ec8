import { SECRET_FILE_MODE, writeFileAtomic } from '../fs/atomic-write.js';
import { passwordHash } from '../scaffold/acl.js';
import { GridctlError } from '../errors.js';
import { findCredentialLinks, setLinkPassword, type CredentialLink } from './credential-links.js';
import { removeFileIfPresent, writeRotationState, type RotationState } from './rotation-state.js';
import { renderAclFileHashes, renderIncludeSecrets, rewriteIfChanged, writeSecretFile } from './secret-files.js';
import { applyHashChange, planHashChange, type HashChange } from './rotate-apply.js';
import { connectionsOpenedBefore, describeNodes, mayProceed, newPassword, type RotationRun } from './rotate.js';
import type { FileChange } from './rotation-report.js';

/**
 * Phase 1: the new password is added on every node (the old ones kept), persisted there, then the
 * servers' own credentials move to it, and only then is it renamed into the secret file clients
 * read: a client never holds a password some node refuses.
 */
export async function runStart(run: RotationRun): Promise<void> {
  const { opts, views, report } = run;
  const resuming = run.state && run.state.phase !== 'finished' ? run.state : undefined;
  const { password } = await newPassword(opts, resuming);
  const newHash = passwordHash(password);
  const oldHashes = resuming?.oldHashes ?? [...new Set(views.flatMap((v) => v.acl.hashes))];
  if (!resuming && oldHashes.includes(newHash)) {
    throw new GridctlError('USAGE', `the new password of "${opts.user}" is one it already has`, { hint: 'give a different --new-password-file, or leave it out to generate one' });
  }
  const pendingFile = opts.secretFile ? `${opts.secretFile}.pending` : (opts.newPasswordFile ?? '');
  const state: RotationState = resuming ?? {
    version: 1,
    user: opts.user,
    phase: 'adding',
    newHash,
    oldHashes,
    pendingFile,
    ...(opts.secretFile ? { secretFile: opts.secretFile } : {}),
    startedAt: new Date().toISOString(),
    nodes: views.map(({ node }) => ({ address: node.address, host: node.host, port: node.port, role: node.role })),
    updatedAt: '',
    updatedBy: '',
  };
  const plan: HashChange = { add: [newHash], drop: [], change: 'add-new' };
  const links = await findCredentialLinks(views.map((v) => v.node), opts.user);
  report.nodes = planHashChange(views, state, plan);
  report.links = links.map((l) => ({ kind: l.kind, node: l.node.address, change: 'planned' }));
  report.files = plannedFiles(run, state);
  if (resuming) report.phase = resuming.phase;
  report.oldConnections = await connectionsOpenedBefore(views, opts.user, state.startedAt);
  if (!(await mayProceed(run, 'add-new', 'add the new password'))) return;
  // The new password is on disk (0600) before any node has it, so a crash part-way can resume.
  if (state.secretFile && !resuming) await writeFileAtomic(state.pendingFile, password + '\n', { mode: SECRET_FILE_MODE });
  await writeRotationState(opts.stateFile, { ...state, phase: 'adding' });
  report.phase = 'adding';
  report.nodes = await applyHashChange(views, opts.user, state, plan);
  const failed = report.nodes.filter((n) => n.change === 'failed');
  if (failed.length) {
    report.phase = 'adding';
    report.links = report.links.map((l) => ({ ...l, change: 'planned' }));
    report.files = report.files.filter((f) => f.what === 'state' || f.what === 'pending secret').map((f) => ({ ...f, change: 'written' }));
    report.next = `every node still accepts the old password; the new one is not yet on ${describeNodes(report, (n) => n.change === 'failed')}: fix that and rerun \`gridctl acl rotate ${opts.user}\` to complete phase 1`;
    return;
  }
  report.links = await moveLinks(run, links, password);
  if (report.links.some((l) => l.change === 'failed')) {
    report.phase = 'adding';
    report.next = `every node accepts both passwords, but some servers still authenticate with the old one: rerun \`gridctl acl rotate ${opts.user}\``;
    return;
  }
  report.files = await writeFiles(run, state, password);
  const added: RotationState = { ...state, phase: 'added', addedAt: state.addedAt ?? new Date().toISOString() };
  await writeRotationState(opts.stateFile, added);
  report.phase = 'added';
  report.complete = true;
  report.next = `every node accepts both passwords: move clients to the new one${state.secretFile ? ` (${state.secretFile})` : ''}, then \`gridctl acl rotate ${opts.user} --finish\``;
}

async function moveLinks(run: RotationRun, links: Awaited<ReturnType<typeof findCredentialLinks>>, password: string): Promise<CredentialLink[]> {
  return Promise.all(
    links.map(async (l): Promise<CredentialLink> => {
      try {
        await setLinkPassword(l.node.client, l.kind, password, run.dep.spec.masterName);
        return { kind: l.kind, node: l.node.address, change: 'set' };
      } catch (err) {
        return { kind: l.kind, node: l.node.address, change: 'failed', error: (err as Error).message };
      }
    }),
  );
}

function plannedFiles(run: RotationRun, state: RotationState): FileChange[] {
  const { opts } = run;
  const files: FileChange[] = [{ file: opts.stateFile, what: 'state', change: 'planned' }];
  if (state.secretFile) files.push({ file: state.pendingFile, what: 'pending secret', change: 'planned' }, { file: state.secretFile, what: 'secret', change: 'planned' });
  if (opts.aclFile) files.push({ file: opts.aclFile, what: 'users.acl', change: 'planned' });
  for (const f of opts.includeFiles) files.push({ file: f, what: 'include', change: 'planned' });
  return files;
}

/** After every node and link: the secret file (pending renamed in), users.acl with both hashes, the include files. */
async function writeFiles(run: RotationRun, state: RotationState, password: string): Promise<FileChange[]> {
  const { opts } = run;
  const files: FileChange[] = [{ file: opts.stateFile, what: 'state', change: 'written' }];
  if (state.secretFile) {
    await writeSecretFile(state.secretFile, opts.user, password);
    await removeFileIfPresent(state.pendingFile);
    files.push({ file: state.secretFile, what: 'secret', change: 'written' }, { file: state.pendingFile, what: 'pending secret', change: 'removed' });
  }
  if (opts.aclFile && (await rewriteIfChanged(opts.aclFile, (t) => renderAclFileHashes(t, opts.user, [...state.oldHashes, state.newHash])))) {
    files.push({ file: opts.aclFile, what: 'users.acl', change: 'written' });
  }
  for (const f of opts.includeFiles) {
    if (await rewriteIfChanged(f, (t) => renderIncludeSecrets(t, opts.user, password))) files.push({ file: f, what: 'include', change: 'written' });
  }
  return files;
}
