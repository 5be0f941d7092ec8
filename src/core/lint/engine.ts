import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfFile } from './conf.js';
import { applyAclRules, mergeSelectors, newUser, parseAclFile, usernameError, type AclFileResult } from './acl.js';
import { EffectiveConfig, type AclUnit, type ServerKind, type ServerUnit, type ServerUsers } from './model.js';
import { classifyFile, type FileKind } from './discover.js';
import { resolveServerPath } from './certs.js';
import { globMatch } from './acl.js';
import { FILE_RULES } from './catalog.js';
import { localPath } from './paths.js';
import type { LintContext } from './context.js';
import type { Finding, Severity } from './types.js';
import { SEVERITY_ORDER } from './types.js';
import type { RuleInput } from './rules/rule.js';

/** A rule re-levelled or switched off in gridctl.yaml (check.rules), with the reason written there. */
export interface RuleOverride {
  severity: Severity | 'off';
  reason: string;
}

export interface CheckedFile {
  file: string;
  kind: FileKind;
  /** Set for a file that another checked file includes (checked as part of it). */
  includedBy?: string;
}

export interface LintResult {
  files: CheckedFile[];
  findings: Finding[];
  /** The modelled servers (for --live, which compares them with the running node). */
  servers: ServerUnit[];
}

/** Read and model every file, run every rule, apply gridctl.yaml overrides. Pure apart from reading files. */
export function lintFiles(files: string[], ctx: LintContext, overrides: Record<string, RuleOverride> = {}): LintResult {
  const checked: CheckedFile[] = [];
  const servers: ServerUnit[] = [];
  const acls = new Map<string, AclUnit>();
  const aclUnit = (file: string, result: AclFileResult) => {
    let u = acls.get(file);
    if (!u) { u = { file, result, usedBy: [] }; acls.set(file, u); }
    return u;
  };
  const readAcl = (file: string): AclFileResult | undefined => {
    try { return parseAclFile(readFileSync(file, 'utf8'), file, ctx.version); } catch { return undefined; }
  };

  for (const f of files) {
    const file = path.resolve(f);
    const kind = classifyFile(file);
    checked.push({ file, kind });
    if (kind === 'acl') {
      const result = readAcl(file);
      if (result) aclUnit(file, result);
      else aclUnit(file, { users: [], errors: [{ line: 0, kind: 'syntax', message: `cannot read ${file}` }] });
      continue;
    }
    servers.push(buildServer(file, kind, ctx));
  }
  // A file another checked file includes is part of that server, not a server of its own.
  const included = new Set(servers.flatMap((s) => s.conf.files.slice(1)));
  for (let i = servers.length - 1; i >= 0; i--) if (included.has(servers[i]!.conf.file)) servers.splice(i, 1);
  for (const c of checked) if (included.has(c.file)) c.includedBy = servers.find((s) => s.conf.files.includes(c.file))?.conf.file;
  // Each server's aclfile: parsed once, shared with the same file given on the command line.
  for (const s of servers) {
    const d = s.eff.get('aclfile');
    if (!d?.args[0]) continue;
    const p = resolveServerPath(s, d.args[0]);
    const existing = acls.get(p);
    const result = existing?.result ?? readAcl(p);
    s.aclFile = { path: p, line: d.line, file: d.file, ...(result ? { result } : { missing: true }) };
    if (result) aclUnit(p, result).usedBy.push(s);
    if (!s.eff.lines('user').length) s.users = usersFromAclFile(s, result);
  }

  const input: RuleInput = { servers, acls: [...acls.values()], ctx };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of FILE_RULES) {
    const override = overrides[rule.id];
    if (override?.severity === 'off') continue;
    rule.check(input, (where, message, severity) => {
      const key = `${rule.id}|${where.file}|${where.line}|${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      const f: Finding = { ruleId: rule.id, severity: (override?.severity as Severity | undefined) ?? severity ?? rule.severity, title: rule.title, message, file: where.file, line: where.line, fix: rule.fix, docs: rule.docs };
      if (override) f.overrideReason = override.reason;
      findings.push(f);
    });
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId));
  return { files: checked, findings, servers };
}

function buildServer(file: string, kind: ServerKind, ctx: LintContext): ServerUnit {
  const conf = parseConfFile(file, (p) => localPath(p, ctx.pathMap));
  const eff = new EffectiveConfig(conf.directives);
  const s: ServerUnit = { kind, conf, eff, pathMap: ctx.pathMap, users: { source: 'none', users: [], defaultUser: { enabled: true, nopass: true, viaRequirepass: false, file: conf.file, line: 0 } }, profile: profileOf(file, eff, ctx) };
  const inline = eff.lines('user');
  if (inline.length) {
    const errors: NonNullable<ServerUnit['inlineErrors']> = [];
    const users = inline.filter((d) => d.args[0]).map((d) => {
      const u = newUser(d.args[0]!, d.file, d.line);
      const badName = usernameError(u.name);
      if (badName) errors.push({ at: d, kind: 'name', message: badName });
      for (const e of applyAclRules(u, mergeSelectors(d.args.slice(1)), ctx.version, kind === 'sentinel')) errors.push({ at: d, kind: e.kind, message: e.message });
      return u;
    });
    s.inlineErrors = errors;
    s.users = { source: 'inline', users, defaultUser: defaultFrom(s, users) };
  } else {
    s.users.defaultUser = defaultFrom(s, []);
  }
  return s;
}

function usersFromAclFile(s: ServerUnit, result: AclFileResult | undefined): ServerUsers {
  const users = result?.users ?? [];
  return { source: 'aclfile', users, defaultUser: defaultFrom(s, users, true) };
}

/** The effective default user: from an aclfile, an inline `user default` line (which starts with reset), or requirepass. */
function defaultFrom(s: ServerUnit, users: ServerUnit['users']['users'], fromAclFile = false): ServerUsers['defaultUser'] {
  const u = users.find((x) => x.name === 'default');
  if (u) return { enabled: u.enabled, nopass: u.nopass, viaRequirepass: false, file: u.file, line: u.line };
  const rp = s.eff.get('requirepass');
  if (!fromAclFile && rp && rp.args[0]) return { enabled: true, nopass: false, viaRequirepass: true, file: rp.file, line: rp.line };
  return { enabled: true, nopass: true, viaRequirepass: false, file: s.conf.file, line: 0 };
}

function profileOf(file: string, eff: EffectiveConfig, ctx: LintContext): ServerUnit['profile'] {
  const base = path.basename(file);
  for (const [glob, profile] of Object.entries(ctx.profiles)) if (globMatch(glob, base) || globMatch(glob, file)) return profile;
  if (ctx.profile) return ctx.profile;
  const policy = eff.value('maxmemory-policy') ?? 'noeviction';
  if (policy.startsWith('allkeys')) return 'cache';
  // With a gridctl.yaml the gateway keeps its order book in Redis: a non-evicting instance is a store.
  if (ctx.fromConfig && ctx.namespaces.some((n) => n.kind === 'store') && policy === 'noeviction') return 'store';
  return undefined;
}
