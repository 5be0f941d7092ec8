import type { Coverage } from '../redis/coverage.js';
import type { Deployment, NodeRole } from '../redis/deployment.js';
import { closeNodes, openEveryNode } from './every-node.js';

/** One user as a node (or users.acl) defines it: rules with each password hash replaced by a label. */
export interface UserVariant {
  /** The rules after `user <name>`, passwords first as password-1, password-2 … (labels shared by every source). */
  rules: string;
  nodes: string[];
}

export interface UserDrift {
  user: string;
  /** data nodes and Sentinels keep separate ACLs: each is compared within its own group. */
  group: 'data' | 'sentinel';
  status: 'same' | 'drift';
  variants: UserVariant[];
  /** Nodes of the group without this user. */
  missingOn: string[];
}

/** users.acl against the data nodes: presence, on/off and password hashes (rules: see docs/acl-diff.md). */
export interface FileDrift {
  user: string;
  problem: 'not on nodes' | 'not in file' | 'passwords differ' | 'enabled differs';
  nodes: string[];
}

export interface AclDiffReport {
  nodes: Array<{ address: string; role: NodeRole }>;
  unreachable: Array<{ address: string; role: NodeRole; error: string }>;
  users: UserDrift[];
  file?: { path: string; drift: FileDrift[] };
  drift: boolean;
  coverage: Coverage;
}

interface ParsedUser {
  name: string;
  enabled: boolean;
  hashes: string[];
  rest: string[];
}

/** `user <name> <rules>` lines (ACL LIST, or an ACL file: single spaces, no comments). */
export function parseUserLines(lines: readonly string[]): ParsedUser[] {
  return lines
    .map((l) => l.trim().split(' '))
    .filter((t) => t[0] === 'user' && t[1])
    .map((t) => {
      const rules = t.slice(2);
      return { name: t[1]!, enabled: rules.includes('on'), hashes: rules.filter((r) => /^#[0-9a-f]{64}$/.test(r)).map((r) => r.slice(1)).sort(), rest: rules.filter((r) => !/^#[0-9a-f]{64}$/.test(r)) };
    });
}

/** Hash -> "password-N", in order of first sight, so two sources with the same hash show the same label and no hash is printed. */
export function hashLabeler(): (hash: string) => string {
  const labels = new Map<string, string>();
  return (hash) => {
    if (!labels.has(hash)) labels.set(hash, `password-${labels.size + 1}`);
    return labels.get(hash)!;
  };
}

/** Compare one group's nodes user by user. */
export function compareGroup(group: UserDrift['group'], perNode: ReadonlyArray<{ node: string; users: ParsedUser[] }>, label: (h: string) => string): UserDrift[] {
  const names = [...new Set(perNode.flatMap((n) => n.users.map((u) => u.name)))].sort();
  return names.map((user) => {
    const variants = new Map<string, string[]>();
    const missingOn: string[] = [];
    for (const { node, users } of perNode) {
      const u = users.find((x) => x.name === user);
      if (!u) {
        missingOn.push(node);
        continue;
      }
      const rules = [...u.hashes.map(label).sort(), ...u.rest].join(' ');
      variants.set(rules, [...(variants.get(rules) ?? []), node]);
    }
    const list = [...variants].map(([rules, nodes]) => ({ rules, nodes }));
    return { user, group, status: list.length > 1 || missingOn.length ? 'drift' : 'same', variants: list, missingOn };
  });
}

/** users.acl against every data node. */
export function compareFile(fileUsers: ParsedUser[], perNode: ReadonlyArray<{ node: string; users: ParsedUser[] }>): FileDrift[] {
  const out: FileDrift[] = [];
  const live = new Set(perNode.flatMap((n) => n.users.map((u) => u.name)));
  for (const f of fileUsers) {
    const lacking = perNode.filter((n) => !n.users.some((u) => u.name === f.name)).map((n) => n.node);
    if (lacking.length) out.push({ user: f.name, problem: 'not on nodes', nodes: lacking });
    const other = perNode.filter((n) => {
      const u = n.users.find((x) => x.name === f.name);
      return u && u.hashes.join() !== f.hashes.join();
    });
    if (other.length) out.push({ user: f.name, problem: 'passwords differ', nodes: other.map((n) => n.node) });
    const toggled = perNode.filter((n) => {
      const u = n.users.find((x) => x.name === f.name);
      return u && u.enabled !== f.enabled;
    });
    if (toggled.length) out.push({ user: f.name, problem: 'enabled differs', nodes: toggled.map((n) => n.node) });
  }
  for (const name of [...live].filter((n) => !fileUsers.some((f) => f.name === n)).sort()) {
    out.push({ user: name, problem: 'not in file', nodes: perNode.filter((n) => n.users.some((u) => u.name === name)).map((n) => n.node) });
  }
  return out;
}

/** `gridctl acl diff`: ACL LIST of every node side by side, and against users.acl when given. Read only. */
export async function aclDiff(dep: Deployment, file?: { path: string; text: string }): Promise<AclDiffReport> {
  const { open, unreachable } = await openEveryNode(dep, []);
  try {
    const lists = await Promise.all(open.map(async (n) => ({ node: n.address, role: n.role, users: parseUserLines(((await n.client.call('ACL', 'LIST')) as unknown[]).map(String)) })));
    const label = hashLabeler();
    const data = lists.filter((l) => l.role !== 'sentinel');
    const sentinels = lists.filter((l) => l.role === 'sentinel');
    const users = [...compareGroup('data', data, label), ...(sentinels.length ? compareGroup('sentinel', sentinels, label) : [])];
    const report: AclDiffReport = {
      nodes: open.map((n) => ({ address: n.address, role: n.role })),
      unreachable: unreachable.map((n) => ({ address: n.address, role: n.role, error: n.error })),
      users,
      drift: false,
      coverage: await dep.coverage(),
    };
    if (file) report.file = { path: file.path, drift: compareFile(parseUserLines(file.text.split('\n')), data) };
    report.drift = users.some((u) => u.status === 'drift') || Boolean(report.file?.drift.length) || unreachable.length > 0;
    return report;
  } finally {
    closeNodes(open);
  }
}
