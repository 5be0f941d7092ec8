import { readFileSync } from 'node:fs';
import path from 'node:path';
import { splitArgs } from './tokenize.js';
import { expandGlob, hasWildcard } from './glob.js';
import { DIRECTIVE_ALIASES } from './versions/directives.js';
import type { Problem } from './problems.js';

/** One directive line of a redis.conf / sentinel.conf, after tokenising. */
export interface Directive {
  /** The name as Redis matches it: lower case. */
  name: string;
  /** The canonical name (aliases such as slaveof resolved to replicaof). */
  key: string;
  args: string[];
  file: string;
  line: number;
}

export interface ParsedConf {
  /** The file that was asked for (absolute). */
  file: string;
  directives: Directive[];
  problems: Problem[];
  /** Every file read, the main one first, then the includes in the order they were read. */
  files: string[];
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * Parse a redis.conf (or sentinel.conf) the way loadServerConfigFromString does: every line is
 * trimmed, `#` starts a comment only at the start of a line, the rest is split by sdssplitargs and
 * the name is lower-cased. `include` is expanded inline, recursively, with glob patterns (sorted;
 * no match is silently ignored, as in Redis); relative paths resolve against the including file.
 */
export function parseConfFile(file: string, mapPath: (p: string) => string = (p) => p, readText: (f: string) => string = (f) => readFileSync(f, 'utf8')): ParsedConf {
  const abs = path.resolve(file);
  const out: ParsedConf = { file: abs, directives: [], problems: [], files: [] };
  const visit = (f: string, depth: number, stack: string[], from?: { file: string; line: number }) => {
    let text: string;
    try {
      text = readText(f);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
      out.problems.push({ ruleId: 'CFG004', file: from?.file ?? f, line: from?.line ?? 0, message: `cannot read ${f}: ${why}` });
      return;
    }
    out.files.push(f);
    parseConfText(text, f, (d) => {
      if (d.name === 'include' && d.args.length === 1) {
        const target = mapPath(path.resolve(path.dirname(f), d.args[0]!));
        const targets = hasWildcard(target) ? expandGlob(target) : [target];
        for (const t of targets) {
          if (stack.includes(t) || depth >= MAX_INCLUDE_DEPTH) {
            out.problems.push({ ruleId: 'CFG004', file: f, line: d.line, message: `include loop: ${t} includes itself (directly or through other files); Redis would recurse until it crashes` });
            continue;
          }
          out.directives.push(d);
          visit(t, depth + 1, [...stack, t], { file: f, line: d.line });
        }
        if (targets.length === 0) out.directives.push(d);
        return;
      }
      out.directives.push(d);
    }, (p) => out.problems.push(p));
  };
  visit(abs, 0, [abs]);
  return out;
}

/** Tokenise redis.conf text; each directive and each line-level problem is handed to a callback. */
export function parseConfText(text: string, file: string, onDirective: (d: Directive) => void, onProblem: (p: Problem) => void): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const args = splitArgs(line);
    if (args === undefined) {
      onProblem({ ruleId: 'CFG001', file, line: i + 1, message: `unbalanced quotes: a quoted value must be closed and followed by a space or the end of the line: ${line.slice(0, 80)}` });
      continue;
    }
    if (args.length === 0) continue;
    const name = args[0]!.toLowerCase();
    onDirective({ name, key: DIRECTIVE_ALIASES[name] ?? name, args: args.slice(1), file, line: i + 1 });
  }
}
