import { createHash } from 'node:crypto';
import { commandCategories, knownCommands, COMMAND_INTRODUCED_IN, REDIS_70_CATEGORIES } from './versions/commands.js';
import { splitArgs } from './tokenize.js';
import type { TargetVersion } from './versions/directives.js';

/** One ACL rule token and where it sits in the user's rule list. */
export interface AclOp {
  text: string;
  index: number;
}

/** A user as its ACL rules leave it (ACLSetUser semantics, applied left to right). */
export interface AclUser {
  name: string;
  file: string;
  line: number;
  enabled: boolean;
  nopass: boolean;
  /** Cleartext `>password` values (the rule text is the only place they appear). */
  passwords: string[];
  hashes: string[];
  allKeys: boolean;
  keyPatterns: string[];
  allChannels: boolean;
  channelPatterns: string[];
  /** Command rules in order: +cmd, -cmd, +@cat, -@cat, allcommands (+@all), nocommands (-@all). */
  commandOps: string[];
  skipSanitize: boolean;
  ops: AclOp[];
}

export interface AclError {
  message: string;
  /** hash = bad #hash (AUTH011); pattern = pattern after ~* or &* (AUTH013); syntax / unknown otherwise. */
  kind: 'syntax' | 'unknown' | 'hash' | 'pattern' | 'name';
  op: string;
}

const HASH_RE = /^[0-9a-f]{64}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function newUser(name: string, file: string, line: number): AclUser {
  return { name, file, line, enabled: false, nopass: false, passwords: [], hashes: [], allKeys: false, keyPatterns: [], allChannels: false, channelPatterns: [], commandOps: [], skipSanitize: false, ops: [] };
}

/**
 * ACLStringHasSpaces: a username (or key / channel pattern) with a space or NUL is refused. In
 * redis.conf a quoted `user "my app" ...` gets that far, and redis-server exits after "Server initialized".
 */
const hasAclSpaces = (text: string) => /[ \t\r\n\v\f\0]/.test(text);

export function usernameError(name: string): string | undefined {
  return hasAclSpaces(name) ? `Spaces not allowed in ACL usernames ("${name}"): redis-server exits at start-up ("Critical error while loading ACLs")` : undefined;
}

/** A rule Redis refuses with errno EINVAL ("Syntax error"). */
const syntax = (op: string, why: string): AclError => ({ kind: 'syntax', op, message: `'${op}': Syntax error (${why})` });

/**
 * Apply ACL rules to a user like Redis 7.0's ACLSetUser/ACLSetSelector, collecting the errors the
 * server would refuse the file with. Selectors `( ... )` are checked for syntax but their contents
 * are not modelled (they only add permissions to the root).
 */
export function applyAclRules(user: AclUser, rules: string[], version: TargetVersion, sentinel = false): AclError[] {
  const errors: AclError[] = [];
  const commands = knownCommands(version, sentinel);
  for (let i = 0; i < rules.length; i++) {
    const op = rules[i]!;
    if (op === '') continue;
    user.ops.push({ text: op, index: i });
    if (op.startsWith('(')) {
      const error = selectorError(op, version, commands);
      if (error) errors.push(error);
      continue;
    }
    // applyUserOp answers undefined for "done, no error": only null means "not a user rule".
    const userResult = applyUserOp(user, op);
    const error = userResult === null ? applySelectorOp(user, op, version, commands) : userResult;
    if (error) errors.push(error);
  }
  return errors;
}

/** A `( ... )` selector: its own rules, split with quotes, and only the key/channel/command ones. */
function selectorError(op: string, version: TargetVersion, commands: Set<string>): AclError | undefined {
  if (!op.endsWith(')')) return { kind: 'syntax', op, message: `Unmatched parenthesis in acl selector starting at '${op.split(' ')[0]}'` };
  const scratch = newUser('', '', 0);
  for (const inner of splitArgs(op.slice(1, -1)) ?? []) {
    if (USER_ONLY_OPS.test(inner)) return syntax(inner, 'only key, channel and command rules are allowed inside a ( ) selector');
    const e = applySelectorOp(scratch, inner, version, commands);
    if (e) return e;
  }
  return undefined;
}

/** Rules of the user itself (ACLSetUser) that a selector does not accept. */
const USER_ONLY_OPS = /^(on|off|nopass|resetpass|reset|clearselectors|skip-sanitize-payload|sanitize-payload|[><#!(].*)$/i;

/** on/off, passwords, reset...: handled (undefined or an error), or `null` when the rule is a selector rule. */
function applyUserOp(user: AclUser, op: string): AclError | undefined | null {
  const lower = op.toLowerCase();
  switch (lower) {
    case 'on': user.enabled = true; return undefined;
    case 'off': user.enabled = false; return undefined;
    case 'nopass': user.nopass = true; user.passwords = []; user.hashes = []; return undefined;
    case 'resetpass': user.nopass = false; user.passwords = []; user.hashes = []; return undefined;
    case 'skip-sanitize-payload': user.skipSanitize = true; return undefined;
    case 'sanitize-payload': user.skipSanitize = false; return undefined;
    case 'clearselectors': return undefined;
    case 'reset': Object.assign(user, { ...newUser(user.name, user.file, user.line), ops: user.ops }); return undefined;
  }
  const first = op[0]!;
  if (first === '#' || first === '!') {
    if (!HASH_RE.test(op.slice(1))) return { kind: 'hash', op, message: `'${op.slice(0, 12)}…': the password hash must be exactly 64 characters and contain only lowercase hexadecimal characters` };
  }
  if (first === '>' || first === '#') {
    const secret = op.slice(1);
    if (first === '>' && !user.passwords.includes(secret)) user.passwords.push(secret);
    if (first === '#' && !user.hashes.includes(secret)) user.hashes.push(secret);
    user.nopass = false;
    return undefined;
  }
  if (first === '<' || first === '!') {
    // Redis keeps only hashes: `<pw` and `!hash` remove the hash, whichever way it was added, or fail.
    const hash = first === '<' ? sha256(op.slice(1)) : op.slice(1);
    const clear = user.passwords.findIndex((p) => sha256(p) === hash);
    if (clear >= 0) user.passwords.splice(clear, 1);
    else if (user.hashes.includes(hash)) user.hashes = user.hashes.filter((h) => h !== hash);
    else return { kind: 'syntax', op: first, message: `'${first}…': The password you are trying to remove from the user does not exist (${first === '<' ? '<password' : '!<hash>'} removes a password set earlier on the same line; a user starts with none)` };
    return undefined;
  }
  return null;
}

/** Keys, channels and commands (ACLSetSelector): the rules a root user and a ( ) selector share. */
function applySelectorOp(user: AclUser, op: string, version: TargetVersion, commands: Set<string>): AclError | undefined {
  switch (op.toLowerCase()) {
    case 'allkeys': case '~*': user.allKeys = true; user.keyPatterns = []; return undefined;
    case 'resetkeys': user.allKeys = false; user.keyPatterns = []; return undefined;
    case 'allchannels': case '&*': user.allChannels = true; user.channelPatterns = []; return undefined;
    case 'resetchannels': user.allChannels = false; user.channelPatterns = []; return undefined;
    case 'allcommands': case '+@all': user.commandOps.push('+@all'); return undefined;
    case 'nocommands': case '-@all': user.commandOps.push('-@all'); return undefined;
  }
  const first = op[0];
  if (first === '~' || first === '%') {
    const m = /^%(R|W|RW|WR)~(.*)$/i.exec(op);
    if (first === '%' && !m) return syntax(op, 'key permission must look like %R~pattern, %W~pattern or %RW~pattern');
    const pattern = m ? m[2]! : op.slice(1);
    if (hasAclSpaces(pattern)) return syntax(op, 'a key pattern cannot contain spaces');
    if (user.allKeys) return { kind: 'pattern', op, message: `'${op}': adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect` };
    user.keyPatterns.push(pattern);
    return undefined;
  }
  if (first === '&') {
    if (hasAclSpaces(op.slice(1))) return syntax(op, 'a channel pattern cannot contain spaces');
    if (user.allChannels) return { kind: 'pattern', op, message: `'${op}': adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect` };
    user.channelPatterns.push(op.slice(1));
    return undefined;
  }
  if (first === '+' || first === '-') {
    const error = commandRuleError(op, version, commands);
    if (!error) user.commandOps.push(`${first}${op.slice(1).toLowerCase()}`);
    return error;
  }
  return syntax(op, `not an ACL rule${/^[a-z0-9_.-]+$/i.test(op) ? '; a password needs the > prefix, a hash the # prefix' : ''}`);
}

/**
 * +cmd, -cmd, +@cat, -@cat, +cmd|sub, +cmd|firstarg, in ACLSetSelector's order of checks: the
 * part before the last `|` must be a command (ENOENT), not a subcommand (ECHILD), and what
 * follows the `|` may not be empty (EINVAL); `-` takes only a command or a real subcommand.
 */
function commandRuleError(op: string, version: TargetVersion, commands: Set<string>): AclError | undefined {
  const first = op[0];
  const body = op.slice(1).toLowerCase();
  const unknown = (name: string, hint = ''): AclError => ({ kind: 'unknown', op, message: `'${op}': Unknown command or category name in ACL${hint || (COMMAND_INTRODUCED_IN[name] && !commands.has(name) ? ` (${name} is new in ${COMMAND_INTRODUCED_IN[name]})` : '')}` });
  const isContainer = (c: string) => [...commands].some((x) => x.startsWith(`${c}|`));
  if (body.startsWith('@')) {
    const cat = body.slice(1);
    return REDIS_70_CATEGORIES.includes(cat) || cat === 'all' ? undefined : unknown(cat, ` (no category @${cat})`);
  }
  const bar = body.lastIndexOf('|');
  if (bar < 0) return commands.has(body) ? undefined : unknown(body);
  if (first === '-') {
    // ACLLookupCommand: container|sub of a real container only (one level).
    const [cmd, sub] = [body.slice(0, body.indexOf('|')), body.slice(body.indexOf('|') + 1)];
    if (commands.has(cmd) && !isContainer(cmd) && !sub.includes('|')) return unknown(body, ' (first-argument rules can only be added, not removed)');
    return commands.has(body) ? undefined : unknown(body, subcommandHint(body, version));
  }
  const cmd = body.slice(0, bar);
  const sub = body.slice(bar + 1);
  if (cmd.includes('|') && commands.has(cmd)) return { kind: 'syntax', op, message: `'${op}': Allowing first-arg of a subcommand is not supported` };
  if (!commands.has(cmd)) return unknown(cmd);
  if (sub === '') return syntax(op, `nothing after the |: write +${cmd} for the whole command, or +${cmd}|<subcommand>`);
  if (isContainer(cmd) && !commands.has(body)) return unknown(body, subcommandHint(body, version));
  return undefined;
}

function subcommandHint(full: string, version: TargetVersion): string {
  const since = COMMAND_INTRODUCED_IN[full];
  const [cmd, sub] = full.split('|');
  return since ? ` (${full} exists only from ${since}; the target is ${version})` : ` (${cmd} has no subcommand ${sub})`;
}

/** Can this user run `command` (lower case, `container|sub` for a subcommand)? Rules left to right. */
export function userCanRun(user: AclUser, command: string): boolean {
  const cats = commandCategories();
  const [container] = command.split('|');
  const categoriesOf = cats.get(command) ?? cats.get(container!) ?? [];
  let allowed = false;
  for (const op of user.commandOps) {
    const sign = op[0] === '+';
    const body = op.slice(1);
    if (body === '@all') allowed = sign;
    else if (body.startsWith('@')) { if (categoriesOf.includes(body.slice(1))) allowed = sign; }
    else if (body === command || body === container) allowed = sign;
    else if (body.startsWith(`${command}|`) && sign) { /* first-arg grant: partial, not the whole command */ }
  }
  return allowed;
}

/** May this user publish/subscribe to `channel`? */
export function userCanUseChannel(user: AclUser, channel: string): boolean {
  return user.allChannels || user.channelPatterns.some((p) => globMatch(p, channel));
}

/** Redis' stringmatch for the simple cases ACL patterns use (* ? [..]). */
export function globMatch(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  try {
    return new RegExp(`^${re}$`).test(text);
  } catch {
    return false;
  }
}

export interface AclFileResult {
  users: AclUser[];
  /** Line-level errors; any one of them makes Redis refuse the whole file. */
  errors: Array<{ line: number; message: string; kind: AclError['kind'] | 'comment' | 'duplicate' | 'keyword' }>;
}

/**
 * Parse an ACL file with ACLLoadFromFile's stricter syntax: lines are split on single spaces
 * with no quote processing, there are no comments, `user` is case-sensitive, and a duplicate
 * user is an error.
 */
export function parseAclFile(text: string, file: string, version: TargetVersion): AclFileResult {
  const result: AclFileResult = { users: [], errors: [] };
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') continue;
    const argv = line.split(' ').map((a) => a.replace(/^[\t\r\n]+|[\t\r\n]+$/g, ''));
    if (argv.length < 2 || argv[0] !== 'user') {
      const isComment = line.startsWith('#');
      result.errors.push({
        line: i + 1,
        kind: isComment ? 'comment' : 'keyword',
        message: isComment
          ? 'comment lines are not allowed in an ACL file (Redis: "should start with user keyword followed by the username")'
          : `should start with user keyword followed by the username${argv[0]?.toLowerCase() === 'user' ? ' (the keyword is case-sensitive: "user")' : ''}`,
      });
      continue;
    }
    const name = argv[1]!;
    if (name === '' || hasAclSpaces(name)) {
      result.errors.push({ line: i + 1, kind: 'name', message: "username can't contain spaces or null characters (a double space after `user`?)" });
      continue;
    }
    const user = newUser(name, file, i + 1);
    const rules = mergeSelectors(argv.slice(2));
    const unmatched = rules.at(-1)?.startsWith('(') && !rules.at(-1)!.endsWith(')');
    // ACLLoadFromFile then walks the rules it has already freed: with any rule before the "(" it segfaults.
    if (unmatched && rules.length > 1) result.errors.push({ line: i + 1, kind: 'syntax', message: `Unmatched parenthesis in selector definition ('${rules.at(-1)!.split(' ')[0]}' is never closed): redis-server crashes (segfault) loading this line instead of refusing it` });
    for (const e of applyAclRules(user, unmatched ? rules.slice(0, -1) : rules, version)) result.errors.push({ line: i + 1, kind: e.kind, message: `Error in applying operation ${e.message}` });
    if (unmatched && rules.length === 1) result.errors.push({ line: i + 1, kind: 'syntax', message: 'Unmatched parenthesis in selector definition' });
    const prev = seen.get(name);
    if (prev !== undefined) {
      result.errors.push({ line: i + 1, kind: 'duplicate', message: `Duplicate user '${name}' found (first defined on line ${prev})` });
      continue;
    }
    seen.set(name, i + 1);
    result.users.push(user);
  }
  return result;
}

/** Join selector arguments `(~x +get)` that the space split broke apart, like ACLMergeSelectorArguments. */
export function mergeSelectors(args: string[]): string[] {
  const out: string[] = [];
  let open: string[] | undefined;
  for (const a of args) {
    if (open) {
      open.push(a);
      if (a.endsWith(')')) { out.push(open.join(' ')); open = undefined; }
    } else if (a.startsWith('(') && !a.endsWith(')')) open = [a];
    else out.push(a);
  }
  if (open) out.push(open.join(' '));
  return out;
}
