import { GridctlError } from '../errors.js';
import { isPermissionError } from '../redis/errors.js';
import type { Deployment } from '../redis/deployment.js';
import { closeNodes, openEveryNode } from '../acl/every-node.js';
import { readNodeSecurity } from './node-security.js';
import { dangerousCommands, usersFromAclLists } from './users.js';
import { newSince, previousRun, readSince, writeSince } from './since.js';
import type { DeniedGroup, NodeSecurity, SecurityFinding, SecurityReport } from './types.js';

/**
 * `gridctl security report`: across every node (data nodes and Sentinels), the ACL LOG grouped by
 * reason, user and client, the access-denied counters, the share of clients over TLS, the default
 * user and protected-mode, and which users have nopass, +@all or dangerous commands. Read only.
 */
export async function securityReport(dep: Deployment, opts: { sinceFile?: string; now?: number } = {}): Promise<SecurityReport> {
  const now = opts.now ?? Date.now();
  const previous = opts.sinceFile ? await readSince(opts.sinceFile) : undefined;
  const { open, unreachable } = await openEveryNode(dep, []);
  try {
    const read = await Promise.all(
      open.map(async (n) => {
        try {
          return await readNodeSecurity(n, Boolean(n.role === 'sentinel' ? dep.spec.sentinel?.tls : dep.spec.tls), now);
        } catch (err) {
          if (isPermissionError(err)) {
            throw new GridctlError('PERMISSION_DENIED', `${n.role} ${n.address} refused a command security report needs: ${(err as Error).message}`, {
              hint: 'see docs/security-report.md for the ACL of the reporting user',
              cause: err,
            });
          }
          throw err;
        }
      }),
    );
    const nodes = read.map((r) => r.node);
    const all = read.flatMap((r) => r.denied);
    const denied = opts.sinceFile ? newSince(all, previous) : all;
    const users = usersFromAclLists(read.map((r) => ({ node: r.node.address, lines: r.aclList })));
    await dangerousCommands(open, users);
    const total = nodes.reduce((n, x) => n + x.clients.total, 0);
    const tlsShare = total ? nodes.reduce((n, x) => n + x.clients.tls, 0) / total : null;
    const report: SecurityReport = {
      generatedAt: new Date(now).toISOString(),
      topology: dep.spec.topology,
      nodes,
      unreachable: unreachable.map((n) => ({ address: n.address, role: n.role, error: n.error })),
      denied,
      users,
      tlsShare,
      findings: [],
      coverage: await dep.coverage(),
    };
    if (opts.sinceFile) report.since = { file: opts.sinceFile, previousRun: previousRun(previous) };
    report.findings = securityFindings(report);
    // Only after the report is complete: a run that failed part-way leaves the last state in place.
    if (opts.sinceFile) await writeSince(opts.sinceFile, all, report.generatedAt);
    return report;
  } finally {
    closeNodes(open);
  }
}

/** What an operator should act on, most severe first. */
export function securityFindings(r: Pick<SecurityReport, 'nodes' | 'denied' | 'users' | 'tlsShare' | 'unreachable'>): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  const list = (nodes: NodeSecurity[]) => nodes.map((n) => n.address).join(', ');
  const openDefault = r.nodes.filter((n) => n.defaultUser.enabled && n.defaultUser.nopass);
  if (openDefault.length) out.push({ severity: 'critical', id: 'default-user-nopass', message: `the default user is on with nopass on ${list(openDefault)}: anyone who reaches them is in (AUTH001)` });
  for (const u of r.users.filter((x) => x.enabled && x.nopass && x.user !== 'default')) out.push({ severity: 'critical', id: 'user-nopass', message: `user "${u.user}" is on with nopass: any password works (AUTH008)` });
  const sum = (groups: DeniedGroup[]) => groups.reduce((n, g) => n + g.count, 0);
  const auth = r.denied.filter((g) => g.reason === 'auth');
  if (auth.length) out.push({ severity: 'warning', id: 'auth-failures', message: `${sum(auth)} failed authentication(s) in ACL LOG, from ${[...new Set(auth.map((g) => g.client))].join(', ')}` });
  const perm = r.denied.filter((g) => g.reason !== 'auth');
  if (perm.length) out.push({ severity: 'warning', id: 'permission-denied', message: `${sum(perm)} command(s), key(s) or channel(s) refused by ACL (NOPERM), by ${[...new Set(perm.map((g) => g.user))].join(', ')}` });
  const enabledDefault = r.nodes.filter((n) => n.defaultUser.enabled && !n.defaultUser.nopass);
  if (enabledDefault.length) out.push({ severity: 'warning', id: 'default-user-on', message: `the default user is enabled on ${list(enabledDefault)} (AUTH006)` });
  const unprotected = r.nodes.filter((n) => n.protectedMode === false);
  if (unprotected.length) out.push({ severity: 'warning', id: 'protected-mode-off', message: `protected-mode is off on ${list(unprotected)} (NET003)` });
  if (r.tlsShare !== null && r.tlsShare < 1) out.push({ severity: 'warning', id: 'plaintext-clients', message: `${Math.round((1 - r.tlsShare) * 100)}% of client connections are not over TLS` });
  if (r.unreachable.length) out.push({ severity: 'warning', id: 'unreachable', message: `not reported: ${r.unreachable.map((n) => n.address).join(', ')} (unreachable)` });
  const lost = r.nodes.filter((n) => (n.logEntriesLost ?? 0) > 0);
  if (lost.length) out.push({ severity: 'info', id: 'acl-log-lost', message: `ACL LOG dropped entries on ${list(lost)} (raise acllog-max-len)` });
  for (const u of r.users.filter((x) => x.enabled && x.dangerous.length && x.user !== 'default')) {
    out.push({ severity: 'info', id: 'dangerous-commands', message: `user "${u.user}" can run ${u.dangerous.join(', ')}${u.allCommands ? ' (+@all)' : ''}` });
  }
  return out;
}
