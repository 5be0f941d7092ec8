import { commandCategories, knownCommands, COMMAND_INTRODUCED_IN, REDIS_70_CATEGORIES } from './versions/commands.js';
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

export function newUser(name: string, file: string, line: number): AclUser {
  return { name, file, line, enabled: false, nopass: false, passwords: [], hashes: [], allKeys: false, keyPatterns: [], allChannels: false, channelPatterns: [], commandOps: [], skipSanitize: false, ops: [] };
}

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
    const lower = op.toLowerCase();
    if (op.startsWith('(')) {
      if (!op.endsWith(')')) errors.push({ kind: 'syntax', op, message: `Unmatched parenthesis in acl selector starting at '${op}'` });
      const inner = op.slice(1, -1).trim().split(/\s+/).filter(Boolean);
      const scratch = newUser(user.name, user.file, user.line);
      for (const e of applyAclRules(scratch, inner, version, sentinel)) errors.push(e);
      continue;
    }
    switch (lower) {
      case 'on': user.enabled = true; continue;
      case 'off': user.enabled = false; continue;
      case 'nopass': user.nopass = true; user.passwords = []; user.hashes = []; continue;
      case 'resetpass': user.nopass = false; user.passwords = []; user.hashes = []; continue;
      case 'skip-sanitize-payload': user.skipSanitize = true; continue;
      case 'sanitize-payload': user.skipSanitize = false; continue;
      case 'allkeys': case '~*': user.allKeys = true; user.keyPatterns = []; continue;
      case 'resetkeys': user.allKeys = false; user.keyPatterns = []; continue;
      case 'allchannels': case '&*': user.allChannels = true; user.channelPatterns = []; continue;
      case 'resetchannels': user.allChannels = false; user.channelPatterns = []; continue;
      case 'allcommands': case '+@all': user.commandOps.push('+@all'); continue;
      case 'nocommands': case '-@all': user.commandOps.push('-@all'); continue;
      case 'clearselectors': continue;
      case 'reset': {
        const fresh = newUser(user.name, user.file, user.line);
        Object.assign(user, { ...fresh, ops: user.ops });
        continue;
      }
    }
    const first = op[0];
    if (first === '>' || first === '<') {
      if (first === '>') { user.passwords.push(op.slice(1)); user.nopass = false; }
      continue;
    }
    if (first === '#' || first === '!') {
      if (!HASH_RE.test(op.slice(1))) {
        errors.push({ kind: 'hash', op, message: `'${op.slice(0, 12)}…': the password hash must be exactly 64 characters and contain only lowercase hexadecimal characters` });
      } else if (first === '#') { user.hashes.push(op.slice(1)); user.nopass = false; }
      continue;
    }
    if (first === '~' || first === '%') {
      const m = /^%(R|W|RW|WR)~(.*)$/i.exec(op);
      if (first === '%' && !m) { errors.push({ kind: 'syntax', op, message: `'${op}': Syntax error (key permission must look like %R~pattern, %W~pattern or %RW~pattern)` }); continue; }
      if (user.allKeys) { errors.push({ kind: 'pattern', op, message: `'${op}': adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect` }); continue; }
      user.keyPatterns.push(m ? m[2]! : op.slice(1));
      continue;
    }
    if (first === '&') {
      if (user.allChannels) { errors.push({ kind: 'pattern', op, message: `'${op}': adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect` }); continue; }
      user.channelPatterns.push(op.slice(1));
      continue;
    }
    if (first === '+' || first === '-') {
      const body = lower.slice(1);
      if (body.startsWith('@')) {
        const cat = body.slice(1);
        if (!REDIS_70_CATEGORIES.includes(cat) && cat !== 'all') {
          errors.push({ kind: 'unknown', op, message: `'${op}': Unknown command or category name in ACL (no category @${cat})` });
          continue;
        }
        user.commandOps.push(`${first}@${cat}`);
        continue;
      }
      const [cmd, sub, extra] = body.split('|');
      const hasSubs = [...commands].some((c) => c.startsWith(`${cmd}|`));
      if (!cmd || extra !== undefined || !commands.has(cmd!)) {
        errors.push({ kind: 'unknown', op, message: `'${op}': Unknown command or category name in ACL${cmd && !commands.has(cmd) && COMMAND_INTRODUCED_IN[cmd] ? ` (${cmd} is new in ${COMMAND_INTRODUCED_IN[cmd]})` : ''}` });
        continue;
      }
      if (sub !== undefined && hasSubs && !commands.has(`${cmd}|${sub}`)) {
        const full = `${cmd}|${sub}`;
        const since = COMMAND_INTRODUCED_IN[full];
        errors.push({ kind: 'unknown', op, message: `'${op}': Unknown command or category name in ACL${since ? ` (${full} exists only from ${since}; the target is ${version})` : ` (${cmd} has no subcommand ${sub})`}` });
        continue;
      }
      if (sub !== undefined && first === '-' && !hasSubs) {
        errors.push({ kind: 'syntax', op, message: `'${op}': Syntax error (first-argument rules can only be added, not removed)` });
        continue;
      }
      user.commandOps.push(`${first}${body}`);
      continue;
    }
    errors.push({ kind: 'syntax', op, message: `'${op}': Syntax error (not an ACL rule${/^[a-z0-9_.-]+$/i.test(op) ? '; a password needs the > prefix, a hash the # prefix' : ''})` });
  }
  return errors;
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
    if (name === '' || /[\s\0]/.test(name)) {
      result.errors.push({ line: i + 1, kind: 'name', message: "username can't contain spaces or null characters (a double space after `user`?)" });
      continue;
    }
    const user = newUser(name, file, i + 1);
    for (const e of applyAclRules(user, mergeSelectors(argv.slice(2)), version)) result.errors.push({ line: i + 1, kind: e.kind, message: `Error in applying operation ${e.message}` });
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
