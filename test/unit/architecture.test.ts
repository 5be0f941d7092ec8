import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The house rules of docs/DEVELOPING.md that can be read off the source: a change that breaks one fails here.
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const rel = (file: string) => path.relative(SRC, file);
const files = sourceFiles(SRC);
const read = (file: string) => readFileSync(file, 'utf8');
const under = (folder: string) => files.filter((f) => rel(f).startsWith(`${folder}/`));

/** Lines of code (comments stripped) matching `pattern`, as "file:line: text". */
function occurrences(list: string[], pattern: RegExp): string[] {
  return list.flatMap((file) =>
    read(file)
      .split('\n')
      .map((line, i) => ({ line, at: `${rel(file)}:${i + 1}` }))
      .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && pattern.test(line))
      .map(({ line, at }) => `${at}: ${line.trim()}`),
  );
}

/** Every function-like node of a file with its length in lines. */
function functionLengths(file: string): Array<{ at: string; lines: number }> {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const found: Array<{ at: string; lines: number }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ at: `${rel(file)}:${start + 1}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('architecture', () => {
  it('only the harness sets the exit code and only the registry imports lazily in src/commands', () => {
    expect(occurrences(under('commands'), /process\.exitCode/)).toEqual([expect.stringMatching(/^commands\/define-command\.ts:/)]);
    expect(occurrences(under('commands'), /\bawait import\(/)).toEqual([]);
    expect(occurrences(under('commands'), /\bimport\(/).filter((o) => !o.startsWith('commands/registry.ts:'))).toEqual([]);
  });

  it('no function in src/commands is longer than 60 lines', () => {
    expect(under('commands').flatMap(functionLengths).filter((f) => f.lines > 60)).toEqual([]);
  });

  it('core reads no process state and never prints: env, cwd and signals are handed in by the command layer', () => {
    // Two exceptions, each with its reason: the PATH search is the one spawn itself would do, and the
    // lock supervisor is a process of its own (started by supervised-command.ts), not a module of gridctl's.
    const allowed = new Set(['core/local/binaries.ts', 'core/lock/supervisor.ts']);
    const core = under('core').filter((f) => !allowed.has(rel(f)));
    expect(occurrences(core, /process\.(env|cwd\(|on\(|once\(|exit|stdout|stderr)|console\./)).toEqual([]);
  });

  it('no source file is longer than 600 lines', () => {
    expect(files.map((f) => ({ file: rel(f), lines: read(f).split('\n').length })).filter((f) => f.lines > 600)).toEqual([]);
  });
});
