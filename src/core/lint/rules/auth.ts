import { commandCategories, knownCommands } from '../versions/commands.js';
import { userCanRun, userCanUseChannel, type AclUser } from '../acl.js';
import type { ServerUnit } from '../model.js';
import { DOC, at, dataNodes, sentinels, type Report, type Rule, type RuleInput } from './rule.js';
import { allUsers, grants, loc, roleOf } from './users.js';

/** Authentication and ACL rules (AUTH0xx), plus ACL-file syntax (CFG008). */

const WEAK = new Set(['password', 'passw0rd', 'secret', 'redis', 'changeme', 'admin', 'root', 'default', 'foobared', '123456', '12345678', 'qwerty', 'letmein', 'mypassword', 'test']);

const REPLICA_NEEDS = ['psync', 'replconf', 'ping'];
const SENTINEL_NEEDS = ['multi', 'slaveof', 'ping', 'exec', 'subscribe', 'config|rewrite', 'role', 'publish', 'info', 'client|setname', 'client|kill', 'script|kill'];

function weakness(secret: string): string | undefined {
  if (WEAK.has(secret.toLowerCase())) return 'is a dictionary word';
  if (secret.length < 32) return `is ${secret.length} characters long (at least 32 wanted; ACL GENPASS gives 64)`;
  return undefined;
}

/**
 * ACL syntax errors Redis refuses at startup, of one kind, wherever users are defined: ACL files
 * and inline `user` lines of redis.conf (the parsers record them; these rules only report them).
 */
function reportUserErrors(input: RuleInput, report: Report, kind: string, inline = true): void {
  for (const acl of input.acls) for (const e of acl.result.errors) if (e.kind === kind) report({ file: acl.file, line: e.line }, e.message);
  if (inline) for (const s of input.servers) for (const e of s.inlineErrors ?? []) if (e.kind === kind) report(e.at, e.message);
}

/** Find a user by name in the users a server loads. */
function userOn(s: ServerUnit, name: string): AclUser | undefined {
  return s.users.users.find((u) => u.name === name);
}

function secretsOf(input: RuleInput): Array<{ at: { file: string; line: number }; what: string; secret: string }> {
  const out: Array<{ at: { file: string; line: number }; what: string; secret: string }> = [];
  for (const s of input.servers) {
    for (const key of ['requirepass', 'masterauth']) {
      const d = s.eff.get(key);
      if (d?.args[0]) out.push({ at: d, what: key, secret: d.args[0] });
    }
    for (const d of s.eff.lines('sentinel')) {
      const sub = d.args[0]?.toLowerCase();
      if ((sub === 'auth-pass' && d.args[2]) || (sub === 'sentinel-pass' && d.args[1])) out.push({ at: d, what: `sentinel ${sub}`, secret: (sub === 'auth-pass' ? d.args[2] : d.args[1])! });
    }
  }
  for (const { user } of allUsers(input)) for (const p of user.passwords) out.push({ at: loc(user), what: `user ${user.name} >password`, secret: p });
  return out;
}

export const authRules: Rule[] = [
  {
    id: 'CFG008', severity: 'error', title: 'ACL rule or ACL file line Redis refuses',
    why: 'Any error in an ACL file aborts the whole load (and startup); an invalid inline `user` rule is a FATAL CONFIG FILE ERROR. ACL files have no comments and no quoting, and the keyword `user` is case-sensitive.',
    fix: 'Fix the rule named in the message: passwords need `>`, hashes `#`, commands must exist in the target version, and comments must be removed from ACL files.',
    docs: DOC.acl,
    check(input, report) {
      for (const acl of input.acls) for (const e of acl.result.errors) if (!['hash', 'pattern', 'duplicate'].includes(e.kind)) report({ file: acl.file, line: e.line }, e.message);
      for (const s of input.servers) for (const e of s.inlineErrors ?? []) if (!['hash', 'pattern'].includes(e.kind)) report(e.at, `Error in user declaration: ${e.message}`);
    },
  },
  {
    id: 'AUTH001', severity: 'error', title: 'Default user is enabled without a password',
    why: 'Anyone who can reach the port is authenticated as `default ~* &* +@all`.',
    fix: 'Add `user default off` (and named users with #<sha256> passwords), or at least requirepass.',
    docs: DOC.acl,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const d = s.users.defaultUser;
        if (s.users.source === 'aclfile' && !s.users.users.some((u) => u.name === 'default')) continue; // AUTH004
        if (d.enabled && d.nopass) report(d, 'the default user is on with nopass: every client gets full access without a password');
      }
    },
  },
  {
    id: 'AUTH002', severity: 'warn', title: 'requirepass is used',
    why: 'requirepass is a compatibility shim for the default user\'s password: it sits in cleartext in the file and CONFIG GET requirepass returns it.',
    fix: 'Use named ACL users with #<sha256> passwords and `user default off`.',
    docs: DOC.acl,
    check(input, report) {
      for (const s of input.servers) { const d = s.eff.get('requirepass'); if (d && d.args[0] !== '') report(d, 'requirepass sets a cleartext password for the default user'); }
    },
  },
  {
    id: 'AUTH003', severity: 'error', title: 'Users in redis.conf and an aclfile',
    why: 'Redis refuses to start: "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid".',
    fix: 'Move the `user` lines into the ACL file, or drop aclfile.',
    docs: DOC.acl,
    check(input, report) {
      for (const s of input.servers) {
        const u = s.eff.lines('user');
        if (s.eff.has('aclfile') && u.length > 0) report(u[0]!, `user lines (${u.length}) are defined here while aclfile is set (${s.eff.value('aclfile', false)})`);
      }
    },
  },
  {
    id: 'AUTH004', severity: 'error', title: 'ACL file without a default user',
    why: 'When the ACL file has no `user default` line, Redis recreates default as `on nopass ~* &* +@all`.',
    fix: 'Add `user default off` to the ACL file.',
    docs: DOC.acl,
    check(input, report) {
      for (const acl of input.acls) {
        if (acl.result.errors.length || acl.result.users.some((u) => u.name === 'default')) continue;
        report({ file: acl.file, line: 0 }, 'no `user default` line: Redis will create default as on nopass with full access');
      }
    },
  },
  {
    id: 'AUTH005', severity: 'warn', title: 'requirepass together with aclfile or inline default user',
    why: 'With aclfile (or ACL LOAD) requirepass is ignored; an inline `user default` line resets the user and overrides it.',
    fix: 'Remove requirepass and give the default user its rules in one place.',
    docs: DOC.acl,
    check(input, report) {
      for (const s of input.servers) {
        const rp = s.eff.get('requirepass');
        if (!rp) continue;
        if (s.eff.has('aclfile')) report(rp, 'requirepass is ignored because aclfile is set');
        else if (s.eff.lines('user').some((d) => d.args[0] === 'default')) report(rp, 'requirepass is overridden by the inline `user default` line');
      }
    },
  },
  {
    id: 'AUTH006', severity: 'warn', title: 'Default user is enabled',
    why: 'The default user is a superuser every unauthenticated-AUTH client lands on; hardened setups disable it so every client authenticates as a named user.',
    fix: 'Add `user default off` (in the ACL file when aclfile is used).',
    docs: DOC.acl,
    check(input, report) {
      for (const s of input.servers) {
        const d = s.users.defaultUser;
        if (d.enabled && !d.nopass) report(d, `the default user is enabled${d.viaRequirepass ? ' (with requirepass)' : ''}; disable it and use named users`);
      }
    },
  },
  {
    id: 'AUTH007', severity: 'warn', title: 'Default user off but still nopass',
    why: '`ACL SETUSER default off` keeps nopass; with protected-mode yes a nopass default user makes every non-local connection get -DENIED, including other users\'.',
    fix: 'Write `user default off resetpass` (or `reset`) instead.',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) if (user.name === 'default' && !user.enabled && user.nopass) report(loc(user), 'user default is off but keeps nopass; add resetpass');
    },
  },
  {
    id: 'AUTH008', severity: 'error', title: 'Enabled user with nopass',
    why: 'With nopass any password works for that user.',
    fix: 'Give the user a #<sha256> password, or disable it; list deliberate exceptions in check.allowNopassUsers.',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) {
        if (user.name === 'default' || !user.enabled || !user.nopass || input.ctx.allowNopassUsers.includes(user.name)) continue;
        report(loc(user), `user ${user.name} is on with nopass: any password authenticates it`);
      }
    },
  },
  {
    id: 'AUTH009', severity: 'warn', title: 'Weak secret',
    why: 'Redis answers AUTH very fast, so short or dictionary passwords are cheap to brute-force.',
    fix: 'Use 32+ random characters (ACL GENPASS gives 64 hex characters).',
    docs: DOC.security,
    check(input, report) {
      for (const s of secretsOf(input)) { const w = weakness(s.secret); if (w) report(s.at, `${s.what} ${w}`); }
    },
  },
  {
    id: 'AUTH010', severity: 'warn', title: 'Cleartext ACL password',
    why: 'A `>password` rule leaves the password in cleartext in the file; ACL LIST and ACL SAVE already store only SHA-256.',
    fix: 'Write `#<sha256 hex of the password>` instead of `>password`.',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) if (user.passwords.length) report(loc(user), `user ${user.name} has a cleartext >password; use #<sha256>`);
    },
  },
  {
    id: 'AUTH011', severity: 'error', title: 'Malformed password hash',
    why: 'Startup fails: "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters".',
    fix: 'Use the lowercase hex SHA-256 of the password (echo -n pw | sha256sum).',
    docs: DOC.acl,
    check(input, report) {
      reportUserErrors(input, report, 'hash');
    },
  },
  {
    id: 'AUTH012', severity: 'warn', title: 'All Pub/Sub channels granted',
    why: 'Since 7.0 the default is resetchannels; granting every channel lets a user read every event stream.',
    fix: 'Grant channel patterns explicitly (&market:*), and keep acl-pubsub-default resetchannels.',
    docs: DOC.acl,
    check(input, report) {
      for (const s of input.servers) { const d = s.eff.get('acl-pubsub-default'); if (d?.args[0]?.toLowerCase() === 'allchannels') report(d, 'acl-pubsub-default allchannels grants every channel to every new user'); }
      for (const { user } of allUsers(input)) {
        const role = roleOf(user, input);
        if (user.enabled && user.allChannels && (role === 'app' || role === 'monitor' || role === 'backup')) report(loc(user), `user ${user.name} has &* / allchannels; grant the channels it needs explicitly`);
      }
    },
  },
  {
    id: 'AUTH013', severity: 'error', title: 'Pattern after ~* or &*',
    why: 'Startup fails: "Adding a pattern after the * pattern (or the \'allkeys\' flag) is not valid".',
    fix: 'Drop the redundant pattern, or replace ~* with the specific patterns.',
    docs: DOC.acl,
    check(input, report) {
      reportUserErrors(input, report, 'pattern');
    },
  },
  {
    id: 'AUTH014', severity: 'error', title: 'Duplicate user',
    why: 'redis.conf: "Duplicate user found. A user can only be defined once in config files" (fatal). In an ACL file the duplicate fails the load.',
    fix: 'Merge the rules into one line per user.',
    docs: DOC.acl,
    check(input, report) {
      reportUserErrors(input, report, 'duplicate', false);
      for (const s of input.servers) {
        const seen = new Map<string, number>();
        for (const d of s.eff.lines('user')) {
          const name = d.args[0]!;
          if (seen.has(name)) report(d, `Duplicate user '${name}' found (first defined on line ${seen.get(name)})`);
          else seen.set(name, d.line);
        }
      }
    },
  },
  {
    id: 'AUTH015', severity: 'error', title: 'Application user can run dangerous commands',
    why: '@dangerous covers FLUSHALL, CONFIG, DEBUG, KEYS, MIGRATE, RESTORE, REPLICAOF...; key patterns do not restrict key-less commands. +@all also grants future module commands.',
    fix: 'Grant the categories the service needs and end the rule list with -@dangerous.',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) {
        if (!user.enabled || roleOf(user, input) !== 'app') continue;
        const g = grants(user);
        const lastAll = g.lastIndexOf('+@all');
        const risky = g.find((o) => o === '+@admin' || o === '+@dangerous');
        if (lastAll >= 0 && !g.slice(lastAll + 1).includes('-@dangerous')) report(loc(user), `user ${user.name} has +@all without a later -@dangerous`);
        else if (risky) report(loc(user), `user ${user.name} is granted ${risky}`);
      }
    },
  },
  {
    id: 'AUTH016', severity: 'warn', title: 'Subtractive rule undone by a later grant',
    why: 'ACL rules apply left to right, so `-DEBUG +@all` grants DEBUG again.',
    fix: 'Put subtractive rules (-cmd, -@category) after the grants.',
    docs: DOC.acl,
    check(input, report) {
      const cats = commandCategories();
      for (const { user } of allUsers(input)) {
        const ops = user.commandOps;
        for (let i = 0; i < ops.length; i++) {
          const sub = ops[i]!;
          if (sub[0] !== '-' || sub === '-@all') continue;
          const target = sub.slice(1);
          const undo = ops.slice(i + 1).find((o) => {
            if (o[0] !== '+') return false;
            const g = o.slice(1);
            if (g === '@all' || g === target) return true;
            if (g.startsWith('@') && !target.startsWith('@')) return (cats.get(target) ?? cats.get(target.split('|')[0]!) ?? []).includes(g.slice(1));
            return false;
          });
          if (undo) { report(loc(user), `user ${user.name}: ${sub} is undone by the later ${undo}`); break; }
        }
      }
    },
  },
  {
    id: 'AUTH017', severity: 'warn', title: 'Application user can access every key',
    why: 'An application user should be scoped to its key prefixes so a bug or a leak cannot touch other data.',
    fix: 'Replace ~*/allkeys with the service\'s prefixes (~order:* ~orderbook:*), %R~ for read-only ones.',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) if (user.enabled && user.allKeys && roleOf(user, input) === 'app') report(loc(user), `user ${user.name} has ~* / allkeys`);
    },
  },
  {
    id: 'AUTH019', severity: 'warn', title: 'Monitoring user has more than it needs',
    why: 'CONFIG GET returns masterauth/requirepass in plaintext, full +client includes CLIENT KILL/PAUSE, and a monitor needs no key access.',
    fix: 'user monitor on #<h> resetkeys resetchannels -@all +ping +info +role +dbsize +client|list +slowlog|get +latency|latest +latency|history +memory|stats +cluster|info',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) {
        if (!user.enabled || roleOf(user, input) !== 'monitor') continue;
        const extra = [['config|get', 'CONFIG GET'], ['client|kill', 'CLIENT KILL'], ['flushall', '@admin/@dangerous']].filter(([c]) => userCanRun(user, c!)).map(([, n]) => n);
        if (user.allKeys || user.keyPatterns.length) extra.push('key access');
        if (extra.length) report(loc(user), `monitoring user ${user.name} can use ${extra.join(', ')}`);
      }
    },
  },
  {
    id: 'AUTH020', severity: 'warn', title: 'Backup user can write',
    why: 'A logical backup needs SCAN, DUMP, TYPE and PTTL (all @read, not @dangerous); write or dangerous commands make a stolen backup credential destructive.',
    fix: 'user backup on #<h> resetchannels %R~* -@all +scan +dump +pttl +type +ping +select',
    docs: DOC.acl,
    check(input, report) {
      for (const { user } of allUsers(input)) {
        if (!user.enabled || roleOf(user, input) !== 'backup') continue;
        const bad = ['set', 'del', 'flushall', 'config|set'].filter((c) => userCanRun(user, c));
        if (bad.length) report(loc(user), `backup user ${user.name} can run ${bad.join(', ')}`);
      }
    },
  },
  {
    id: 'AUTH021', severity: 'error', title: 'Replication user missing or lacks PSYNC/REPLCONF/PING',
    why: 'Replication fails: the replica authenticates as masteruser on the master, which needs +psync +replconf +ping.',
    fix: 'On every data node: user <masteruser> on #<h> -@all +psync +replconf +ping',
    docs: DOC.acl,
    check(input, report) {
      const nodes = dataNodes(input);
      for (const s of nodes) {
        const d = s.eff.get('masteruser');
        const name = d?.args[0];
        if (!d || !name) continue;
        for (const target of nodes) {
          if (target.users.source === 'none' && target !== s) continue;
          const u = userOn(target, name);
          const where = target === s ? '' : ` on ${target.conf.file}`;
          if (!u) report(d, `masteruser ${name} does not exist${where}${target.users.source === 'none' ? ' (no ACL users are defined)' : ''}`);
          else {
            const missing = REPLICA_NEEDS.filter((c) => !userCanRun(u, c));
            if (!u.enabled) report(d, `masteruser ${name} is disabled (off)${where}`);
            else if (missing.length) report(d, `masteruser ${name}${where} lacks ${missing.map((m) => '+' + m).join(' ')}`);
          }
        }
      }
    },
  },
  {
    id: 'AUTH022', severity: 'error', title: 'Sentinel user missing or lacks permissions on the data nodes',
    why: 'Sentinel cannot monitor or fail over without MULTI, SLAVEOF, PING, EXEC, SUBSCRIBE, CONFIG REWRITE, ROLE, PUBLISH, INFO, CLIENT SETNAME/KILL, SCRIPT KILL and channel access (7.0 defaults to resetchannels).',
    fix: 'user <auth-user> on #<h> allchannels -@all +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info +client|setname +client|kill +script|kill',
    docs: DOC.sentinel,
    check(input, report) {
      const nodes = dataNodes(input).filter((n) => n.users.source !== 'none');
      for (const s of sentinels(input)) {
        for (const d of s.eff.lines('sentinel')) {
          if (d.args[0]?.toLowerCase() !== 'auth-user') continue;
          const name = d.args[2]!;
          for (const n of nodes) {
            const u = userOn(n, name);
            if (!u) { report(d, `sentinel auth-user ${name} does not exist on ${n.conf.file}`); continue; }
            const missing = SENTINEL_NEEDS.filter((c) => !userCanRun(u, c));
            if (!userCanUseChannel(u, '__sentinel__:hello')) missing.push('&__sentinel__:hello (channel access)');
            if (!u.enabled) report(d, `sentinel auth-user ${name} is off on ${n.conf.file}`);
            else if (missing.length) report(d, `sentinel auth-user ${name} on ${n.conf.file} lacks ${missing.join(' ')}`);
          }
        }
      }
    },
  },
  {
    id: 'AUTH023', severity: 'warn', title: 'rename-command is used',
    why: 'Deprecated: "avoid using this option if possible. Instead use ACLs"; renaming commands that reach the AOF or replicas may cause problems.',
    fix: 'Remove rename-command and deny the command with ACL rules (-config, -@dangerous).',
    docs: DOC.security,
    check(input, report) {
      for (const s of input.servers) for (const d of [...s.eff.lines('rename-command'), ...s.eff.lines('sentinel').filter((x) => x.args[0]?.toLowerCase() === 'rename-command')]) report(d, `rename-command ${d.args.filter((a) => a.toLowerCase() !== 'rename-command').join(' ')}: use ACLs instead`);
    },
  },
  {
    id: 'AUTH024', severity: 'error', title: 'DEBUG / MODULE / protected configs enabled',
    why: 'Re-opens DEBUG, MODULE LOAD and CONFIG SET of dir/dbfilename (the classic CONFIG SET dir + SAVE file-write attack).',
    fix: 'Set enable-debug-command, enable-module-command and enable-protected-configs to no (the default).',
    docs: DOC.security,
    check(input, report) {
      for (const s of input.servers) for (const k of ['enable-debug-command', 'enable-module-command', 'enable-protected-configs']) if (s.eff.value(k) === 'yes') report(at(s, k), `${k} yes`);
    },
  },
  {
    id: 'AUTH025', severity: 'warn', title: 'DEBUG / MODULE / protected configs enabled for local clients',
    why: '"local" includes Unix-socket clients and 127.0.0.1/::1, so anything co-located (sidecars) gets DEBUG/MODULE.',
    fix: 'Set the directive to no.',
    docs: DOC.security,
    check(input, report) {
      for (const s of input.servers) for (const k of ['enable-debug-command', 'enable-module-command', 'enable-protected-configs']) if (s.eff.value(k) === 'local') report(at(s, k), `${k} local`);
    },
  },
  {
    id: 'AUTH026', severity: 'warn', title: 'First-argument ACL grant',
    why: '+cmd|firstarg grants are deprecated since 7.0 and may be removed.',
    fix: 'Grant the whole command, or use selectors / key permissions instead.',
    docs: DOC.acl,
    check(input, report) {
      // Sentinel's own subcommands count as subcommands (sentinel|masters is not a first-argument grant).
      const known = [...knownCommands(input.ctx.version, true)];
      const containers = new Set(known.filter((c) => c.includes('|')).map((c) => c.split('|')[0]!));
      for (const { user } of allUsers(input)) {
        const op = user.commandOps.find((o) => o[0] === '+' && o.includes('|') && !containers.has(o.slice(1).split('|')[0]!));
        if (op) report(loc(user), `user ${user.name}: ${op} is a first-argument grant (deprecated)`);
      }
    },
  },
  {
    id: 'AUTH027', severity: 'warn', title: 'Unsanitized RESTORE payloads',
    why: 'An unsanitized RESTORE payload can trigger assertions or crashes; skip-sanitize-payload lets a user bypass the check.',
    fix: 'Set sanitize-dump-payload clients (or yes) and drop skip-sanitize-payload.',
    docs: DOC.security,
    check(input, report) {
      for (const { user, server } of allUsers(input)) {
        if (!user.enabled) continue;
        if (user.skipSanitize) { report(loc(user), `user ${user.name} has skip-sanitize-payload`); continue; }
        const sanitize = server?.eff.value('sanitize-dump-payload') ?? 'no';
        if (sanitize === 'no' && roleOf(user, input) === 'app' && userCanRun(user, 'restore')) report(loc(user), `user ${user.name} can RESTORE while sanitize-dump-payload is no`);
      }
    },
  },
];
