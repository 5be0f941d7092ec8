import type { AclUser } from '../acl.js';
import type { UserRole } from '../context.js';
import type { ServerUnit } from '../model.js';
import type { RuleInput } from './rule.js';

/** Every ACL user once: inline users of each server, then the users of each ACL file. */
export function allUsers(input: RuleInput): Array<{ user: AclUser; server?: ServerUnit }> {
  const out: Array<{ user: AclUser; server?: ServerUnit }> = [];
  for (const s of input.servers) if (s.users.source === 'inline') for (const user of s.users.users) out.push({ user, server: s });
  for (const acl of input.acls) for (const user of acl.result.users) out.push(acl.usedBy[0] ? { user, server: acl.usedBy[0] } : { user });
  return out;
}

/** What a user is for, from gridctl.yaml (check.userRoles), the files (masteruser, auth-user) or its name. */
export function roleOf(user: AclUser, input: RuleInput): UserRole {
  if (user.name === 'default') return 'default';
  const configured = input.ctx.userRoles[user.name];
  if (configured) return configured;
  for (const s of input.servers) {
    if (s.eff.value('masteruser', false) === user.name) return 'replication';
    if (s.eff.lines('sentinel').some((d) => d.args[0]?.toLowerCase() === 'auth-user' && d.args[2] === user.name)) return 'sentinel';
    if (s.eff.lines('sentinel').some((d) => d.args[0]?.toLowerCase() === 'sentinel-user' && d.args[1] === user.name)) return 'sentinel';
  }
  const n = user.name.toLowerCase();
  if (/admin|root|superuser|^ops/.test(n)) return 'admin';
  if (/monitor|exporter|metrics|prometheus/.test(n)) return 'monitor';
  if (/backup/.test(n)) return 'backup';
  if (/restore/.test(n)) return 'restore';
  if (/replic/.test(n)) return 'replication';
  if (/sentinel/.test(n)) return 'sentinel';
  return 'app';
}

export const loc = (u: AclUser) => ({ file: u.file, line: u.line });

/** The ops after the last `-@all`/`nocommands`/`reset`, i.e. what actually grants permissions. */
export function grants(u: AclUser): string[] {
  const i = u.commandOps.lastIndexOf('-@all');
  return u.commandOps.slice(i + 1);
}
