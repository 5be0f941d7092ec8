import { describe, expect, it } from 'vitest';
import { parseMemory, splitArgs } from '../../../src/core/lint/tokenize.js';
import { parseAclFile } from '../../../src/core/lint/acl.js';
import { parseConfText, type Directive } from '../../../src/core/lint/conf.js';
import { EffectiveConfig } from '../../../src/core/lint/model.js';
import type { Problem } from '../../../src/core/lint/problems.js';

function conf(text: string) {
  const ds: Directive[] = [];
  const ps: Problem[] = [];
  parseConfText(text, 'x.conf', (d) => ds.push(d), (p) => ps.push(p));
  return { ds, ps, eff: new EffectiveConfig(ds) };
}

describe('splitArgs (sdssplitargs semantics)', () => {
  it('splits on whitespace and keeps a trailing # as arguments', () => {
    expect(splitArgs('port 6379 # comment')).toEqual(['port', '6379', '#', 'comment']);
  });
  it('understands double-quote escapes including \\xHH', () => {
    expect(splitArgs('requirepass "a\\"b\\n\\x41"')).toEqual(['requirepass', 'a"b\nA']);
  });
  it('single quotes only escape \\\'', () => {
    expect(splitArgs("x 'it\\'s \\n'")).toEqual(['x', "it's \\n"]);
  });
  it('a quote may start mid-token', () => {
    expect(splitArgs('user u on >"pass word"')).toEqual(['user', 'u', 'on', '>pass word']);
  });
  it('a closing quote must be followed by space: else unbalanced', () => {
    expect(splitArgs('x "a"b')).toBeUndefined();
    expect(splitArgs('x "open')).toBeUndefined();
  });
  it('"" is an empty argument', () => {
    expect(splitArgs('save ""')).toEqual(['save', '']);
  });
});

describe('redis.conf model', () => {
  it('# is a comment only at the start of a line; names are case-insensitive', () => {
    const { ds } = conf('  # comment\nPORT 1\n');
    expect(ds.map((d) => [d.name, d.line])).toEqual([['port', 2]]);
  });
  it('last one wins for single values, bind is replaced, save accumulates, aliases resolve', () => {
    const { eff } = conf('maxmemory 1gb\nmaxmemory 2gb\nbind 1.1.1.1\nbind 127.0.0.1\nsave 900 1\nsave 60 100\nslaveof 10.0.0.1 6379\n');
    expect(eff.int('maxmemory', 0)).toBe(2 * 1024 ** 3);
    expect(eff.bindAddresses().addresses).toEqual(['127.0.0.1']);
    expect(eff.lines('save')).toHaveLength(2);
    expect(eff.get('replicaof')?.args).toEqual(['10.0.0.1', '6379']);
  });
  it('save "" clears RDB, no save line keeps the compiled default', () => {
    expect(conf('save ""\n').eff.saveEnabled()).toBe(false);
    expect(conf('port 1\n').eff.saveEnabled()).toBe(true);
  });
  it('memory units: k=1000, kb=1024, case-insensitive', () => {
    expect(parseMemory('1k')).toBe(1000);
    expect(parseMemory('1KB')).toBe(1024);
    expect(parseMemory('1gb')).toBe(1024 ** 3);
    expect(parseMemory('lots')).toBeUndefined();
  });
});

describe('ACL file (strict syntax)', () => {
  it('rejects comments, wrong-case keyword, duplicates; splits on single spaces without quotes', () => {
    const r = parseAclFile('# c\nUSER a on\nuser b on >"x y"\nuser b off\n', 'u.acl', '7.0');
    expect(r.errors.map((e) => [e.line, e.kind])).toEqual([[1, 'comment'], [2, 'keyword'], [3, 'syntax'], [4, 'duplicate']]);
    expect(r.users[0]!.passwords).toEqual(['"x']);
  });
  it('knows hash format, patterns after ~*, unknown commands per version', () => {
    const r = parseAclFile('user a on #ABC ~* ~x:* +client|setinfo\n', 'u.acl', '7.0');
    expect(r.errors.map((e) => e.kind)).toEqual(['hash', 'pattern', 'unknown']);
    expect(parseAclFile('user a on +client|setinfo\n', 'u.acl', '7.2').errors).toEqual([]);
  });
});
