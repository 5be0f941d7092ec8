import { existsSync } from 'node:fs';
import path from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import { parseMemory } from '../tokenize.js';
import { BOOL_DIRECTIVES, DEPRECATED_DIRECTIVES, ENUM_DIRECTIVES, INTRODUCED_IN, MULTI_ARG_DIRECTIVES, NUMERIC_DIRECTIVES, knownDirectives } from '../versions/directives.js';
import { knownCommands } from '../versions/commands.js';
import { invalidValue, multiValues, trailingComment } from '../values.js';
import type { TargetVersion } from '../versions/directives.js';
import { DOC, type Rule } from './rule.js';

/** Rules about whether Redis can read the file at all: syntax, arity, values, placeholders. */

const SENTINEL_OPTIONS: Record<string, [number, number]> = {
  monitor: [4, 4], 'down-after-milliseconds': [2, 2], 'failover-timeout': [2, 2], 'parallel-syncs': [2, 2],
  'notification-script': [2, 2], 'client-reconfig-script': [2, 2], 'auth-pass': [2, 2], 'auth-user': [2, 2],
  'master-reboot-down-after-period': [2, 2], 'known-replica': [3, 3], 'known-slave': [3, 3], 'known-sentinel': [3, 4],
  'rename-command': [3, 3], 'announce-ip': [1, 1], 'announce-port': [1, 1], 'announce-hostnames': [1, 1], 'resolve-hostnames': [1, 1],
  'deny-scripts-reconfig': [1, 1], 'sentinel-user': [1, 1], 'sentinel-pass': [1, 1], 'current-epoch': [1, 1], myid: [1, 1],
  'config-epoch': [2, 2], 'leader-epoch': [2, 2],
};

/** Sentinel options only Valkey 8 reads (sentinelHandleConfiguration in its sentinel.c). */
const VALKEY_SENTINEL_OPTIONS: Record<string, [number, number]> = { 'primary-reboot-down-after-period': [2, 2] };

function sentinelArity(sub: string, version: TargetVersion): [number, number] | undefined {
  return SENTINEL_OPTIONS[sub] ?? (version === 'valkey-8' ? VALKEY_SENTINEL_OPTIONS[sub] : undefined);
}

const PASSWORD_DIRECTIVES = new Set(['requirepass', 'masterauth', 'user', 'tls-key-file-pass', 'tls-client-key-file-pass']);

export const cfgRules: Rule[] = [
  {
    id: 'CFG001', severity: 'error', title: 'Unbalanced quotes',
    why: 'Redis tokenises each line like sdssplitargs: a quote must be closed and followed by a space or the end of the line, otherwise startup fails with "Unbalanced quotes in configuration line".',
    fix: 'Close the quote, put a space after it, or escape the quote character (\\" inside double quotes, \\\' inside single quotes).',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) for (const p of s.conf.problems) if (p.ruleId === 'CFG001') report(p, p.message);
    },
  },
  {
    id: 'CFG002', severity: 'error', title: 'Wrong number of arguments',
    why: 'A single-value directive takes exactly one argument; Redis refuses to start with "wrong number of arguments". `#` is a comment only at the start of a line, so a trailing comment becomes extra arguments.',
    fix: 'Quote a value that contains spaces ("a b"), use "" for an empty value, and move trailing comments to their own line.',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) {
        const known = knownDirectives(input.ctx.version);
        const monitored = new Set(s.eff.lines('sentinel').filter((d) => d.args[0]?.toLowerCase() === 'monitor').map((d) => d.args[1]));
        for (const d of s.eff.directives) {
          if (!known.has(d.name)) continue;
          const n = d.args.length;
          const comment = d.args.findIndex((a) => a.startsWith('#'));
          const hint = comment > 0 ? ` (a trailing "${d.args[comment]}..." is not a comment: # only starts a comment at the beginning of a line)` : '';
          let bad: string | undefined;
          if (d.name === 'tls-protocols' || d.name === 'tls-ciphers' || d.name === 'tls-ciphersuites') {
            if (n !== 1 && comment < 0) continue; // reported by TLS007 with its own advice
          }
          if (d.name === 'include' && n !== 1) bad = 'include takes exactly one file (or glob)';
          else if (d.name === 'rename-command' && n !== 2) bad = 'rename-command takes a command and a new name ("" to disable)';
          else if ((d.name === 'user' || d.name === 'loadmodule') && n < 1) bad = `${d.name} needs at least one argument`;
          else if (d.name in DEPRECATED_DIRECTIVES && n !== DEPRECATED_DIRECTIVES[d.name]! - 1) bad = `${d.name} takes one argument`;
          else if (d.name === 'sentinel') {
            if (s.kind !== 'sentinel') { report(d, `sentinel directive in a file that is not run by redis-sentinel: "sentinel directive while not in sentinel mode"`); continue; }
            const sub = d.args[0]?.toLowerCase() ?? '';
            const arity = sentinelArity(sub, input.ctx.version);
            if (!arity) bad = `unknown sentinel option "${sub}" ("Unrecognized sentinel configuration statement")${VALKEY_SENTINEL_OPTIONS[sub] ? '; it exists only from Valkey 8.0' : ''}`;
            else if (n - 1 < arity[0] || n - 1 > arity[1]) bad = `sentinel ${sub} takes ${arity[0]} argument(s)`;
            else if (arity[0] >= 2 && sub !== 'monitor' && sub !== 'rename-command' && sub !== 'known-sentinel' && !monitored.has(d.args[1])) {
              report(d, `sentinel ${sub} names master "${d.args[1]}", which no "sentinel monitor" line defines ("No such master with specified name")`);
              continue;
            }
          } else if (trailingComment(d)) {
            continue; // CFG009 says what Redis does with the comment's words
          } else if (d.key === 'replicaof') {
            if (multiValues(d).length !== 2) bad = 'replicaof takes a host and a port (or "no one")';
          } else if (d.name === 'save') {
            if (!(n === 1 && d.args[0] === '') && multiValues(d).length % 2 !== 0) bad = 'save takes pairs of <seconds> <changes>, or "" to disable RDB';
          } else if (d.name === 'client-output-buffer-limit') {
            if (multiValues(d).length % 4 !== 0) bad = 'client-output-buffer-limit takes <class> <hard> <soft> <seconds> groups';
          } else if (MULTI_ARG_DIRECTIVES.has(d.name)) {
            if (n < 1) bad = `${d.name} needs a value`;
          } else if (!['include', 'rename-command', 'user', 'loadmodule', 'sentinel'].includes(d.name) && !(d.name in DEPRECATED_DIRECTIVES) && n !== 1) {
            bad = n === 0 ? `${d.name} needs a value (use "" for an empty one)` : `${d.name} takes exactly one argument, got ${n}`;
          }
          if (bad) report(d, `${bad}${hint}`);
        }
      }
    },
  },
  {
    id: 'CFG003', severity: 'error', title: 'Invalid value',
    why: 'Redis validates every value at startup (yes/no, enumerations, numbers with units, ranges) and refuses to start with "argument must be ..." on a bad one.',
    fix: 'Use one of the values the directive accepts (see the message).',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) {
        for (const d of s.eff.directives) {
          if (d.args.some((a) => /\$\{|\{\{/.test(a)) || trailingComment(d)) continue; // CFG005 / CFG009 name the real cause
          const refusal = invalidValue(d, input.ctx.version);
          if (refusal) { report(d, `${d.name} ${d.args.join(' ')}: ${refusal}`); continue; }
          if (d.args.length !== 1) continue;
          const v = d.args[0]!;
          const lower = v.toLowerCase();
          if (BOOL_DIRECTIVES.has(d.key) && lower !== 'yes' && lower !== 'no') report(d, `${d.name} must be yes or no, got "${v}"`);
          const choices = ENUM_DIRECTIVES[d.key];
          if (choices) {
            const allowed = d.key === 'loglevel' && input.ctx.version !== '7.0' ? [...choices, 'nothing'] : choices;
            if (!allowed.includes(lower)) {
              const since = d.key === 'loglevel' && lower === 'nothing' ? ' (loglevel nothing exists only from Redis 7.2)' : '';
              report(d, `${d.name} must be one of ${allowed.join(', ')}, got "${v}"${since}`);
            }
          }
          const num = NUMERIC_DIRECTIVES[d.key];
          if (num) {
            const n = num.memory ? parseMemory(v) : /^-?\d+$/.test(v) ? Number(v) : undefined;
            if (n === undefined) report(d, `${d.name} must be ${num.memory ? 'a memory size such as 2gb or 512mb' : 'an integer'}, got "${v}"`);
            else if (n < num.min || n > num.max) report(d, `${d.name} must be between ${num.min} and ${num.max}, got ${v}`);
          }
        }
      }
    },
  },
  {
    id: 'CFG004', severity: 'error', title: 'Referenced file cannot be read',
    why: 'An include, aclfile or similar path that does not exist (or is unreadable) makes Redis refuse to start ("Fatal error, can\'t open config file").',
    fix: 'Fix the path (relative paths are resolved against the including file here; Redis itself resolves them against its working directory, so prefer absolute paths).',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) for (const p of s.conf.problems) if (p.ruleId === 'CFG004') report(p, p.message);
      for (const s of input.servers) if (s.aclFile?.missing) report(s.aclFile, `aclfile ${s.aclFile.path} does not exist or cannot be read: Redis refuses to start`);
    },
  },
  {
    id: 'CFG005', severity: 'error', title: 'Unexpanded variable or template placeholder',
    why: 'Redis never expands environment variables or template placeholders: `dir $HOME/x` looks for a directory literally called "$HOME", and `${QUORUM}` parses as 0.',
    fix: 'Render the template (envsubst, your config tool) before Redis reads the file, or write the literal value.',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) {
        for (const d of s.eff.directives) {
          for (const a of d.args) {
            const m = /\$\{[^}]*\}|\{\{[^}]*\}\}/.exec(a) ?? (PASSWORD_DIRECTIVES.has(d.name) || (d.name === 'sentinel' && /pass$/.test(d.args[0] ?? '')) ? null : /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(a));
            if (m) {
              report(d, `${d.name} ${d.args.join(' ')}: "${m[0]}" is an unexpanded variable or placeholder; Redis uses the text literally${d.name === 'dir' ? ' and fails with "No such file or directory"' : ''}`);
              break;
            }
          }
        }
      }
      for (const acl of input.acls) {
        for (const u of acl.result.users) {
          const p = u.ops.find((o) => /\$\{[^}]*\}|\{\{[^}]*\}\}/.test(o.text));
          if (p) report({ file: u.file, line: u.line }, `user ${u.name}: "${p.text.slice(0, 40)}" contains an unexpanded template placeholder`);
        }
      }
    },
  },
  {
    id: 'CFG006', severity: 'error', title: 'rename-command of an unknown command',
    why: 'Redis 7.0 refuses to start when rename-command names a command that does not exist ("No such command in rename-command").',
    fix: 'Fix the command name, or (better) remove rename-command and restrict the command with ACLs.',
    docs: DOC.security,
    check(input, report) {
      const cmds = knownCommands(input.ctx.version);
      for (const s of input.servers) {
        if (s.eff.has('loadmodule')) continue; // modules add commands we cannot know
        for (const d of s.eff.lines('rename-command')) {
          const c = d.args[0]?.toLowerCase();
          if (c && !cmds.has(c)) report(d, `rename-command ${d.args[0]}: no such command in Redis ${input.ctx.version}`);
        }
      }
    },
  },
  {
    id: 'CFG007', severity: 'info', title: 'Path does not exist on this host',
    why: 'Redis 7.0 applies `dir` (chdir) while parsing and refuses to start when the directory is missing; loadmodule needs the .so. On a CI host this is often expected.',
    fix: 'Create the directory (owned by the redis user, mode 0750) on the target host, or fix the path.',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) {
        const dir = s.eff.get('dir');
        if (dir && dir.args[0] && path.isAbsolute(dir.args[0]) && !dir.args[0].includes('$') && !existsSync(dir.args[0])) report(dir, `dir ${dir.args[0]} does not exist on this host`);
        for (const m of s.eff.lines('loadmodule')) if (m.args[0] && path.isAbsolute(m.args[0]) && !existsSync(m.args[0])) report(m, `loadmodule ${m.args[0]}: module not found on this host`);
      }
    },
  },
  {
    id: 'CFG009', severity: 'error', title: 'Trailing comment on a directive with several values',
    why: '`#` starts a comment only at the beginning of a line. bind, save, client-output-buffer-limit, shutdown-on-sigterm and the other list-valued directives take the comment\'s words as more values: `bind 127.0.0.1 # local` makes Redis try to listen on "#" and exit, `save 900 1 # 15 min` is "Invalid save parameters".',
    fix: 'Move the comment to a line of its own, above the directive.',
    docs: DOC.config,
    check(input, report) {
      for (const s of input.servers) {
        for (const d of s.eff.directives) {
          const comment = trailingComment(d);
          if (!comment) continue;
          // Every other directive checks its values line by line; bind only listens on the last line's.
          if (d.key === 'bind' && s.eff.get('bind') !== d) continue;
          const words = comment.map((w) => `"${w}"`).join(' ');
          const effect = d.key === 'bind'
            ? `as more addresses to listen on and exits ("Could not create server TCP listening socket ${comment[0]}:${s.eff.port() || 6379}")`
            : d.key === 'save' ? 'as more save points and refuses to start ("Invalid save parameters")'
            : 'as more values and refuses to start';
          report(d, `${d.name}: the trailing comment is not a comment: Redis reads ${words.length > 60 ? `${words.slice(0, 57)}...` : words} ${effect}`);
        }
      }
    },
  },
  {
    id: 'VER001', severity: 'error', title: 'Directive unknown to the target version',
    why: 'Unknown directives are fatal ("Bad directive or wrong number of arguments"). Several directives exist only in later releases (7.2, 7.4) or only in Valkey.',
    fix: 'Remove the directive, fix its spelling, or set the right target version (check.version in gridctl.yaml, or --redis-version).',
    docs: DOC.config,
    check(input, report) {
      const known = knownDirectives(input.ctx.version);
      const all = [...known];
      for (const s of input.servers) {
        for (const d of s.eff.directives) {
          if (known.has(d.name)) continue;
          const since = INTRODUCED_IN[d.name];
          let msg = `"${d.name}" is not a Redis ${input.ctx.version} directive ("Bad directive or wrong number of arguments")`;
          if (since) msg += `; it exists only from ${since}`;
          else {
            const guess = closest(d.name, all);
            if (guess && distance(d.name, guess) <= Math.max(2, Math.floor(d.name.length / 4))) msg += `; did you mean "${guess}"?`;
          }
          report(d, msg);
        }
      }
    },
  },
  {
    id: 'VER002', severity: 'error', title: 'tls-* directive for a redis-server built without TLS',
    why: 'In 7.0 the tls-* configs exist only when Redis is built with OpenSSL; a non-TLS build rejects them as bad directives.',
    fix: 'Use a TLS-enabled build (Debian\'s redis-server is one), or drop the tls-* lines.',
    docs: DOC.tls,
    check(input, report) {
      if (input.ctx.tlsBuild || input.ctx.version !== '7.0') return;
      for (const s of input.servers) for (const d of s.eff.directives) if (d.name.startsWith('tls-')) report(d, `${d.name}: the target redis-server 7.0 is built without TLS, so it does not know this directive`);
    },
  },
];
