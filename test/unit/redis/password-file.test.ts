import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPasswordFile } from '../../../src/core/redis/password.js';

/** Issue 24 item 11: Redis compares every byte of a password, so a password file is not trimmed. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-pwfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (name: string, text: string) => {
  const file = path.join(dir, name);
  await writeFile(file, text, { mode: 0o600 });
  return readPasswordFile(file);
};

describe('readPasswordFile', () => {
  it.each([
    ['edge spaces are kept', '  pass word  \n', '  pass word  '],
    ['a tab at the end is kept', 'pw\t\n', 'pw\t'],
    ['only one final newline is dropped', 'pw\n\n', 'pw\n'],
    ['a CRLF ending is one final newline', 'pw\r\n', 'pw'],
    ['no final newline', 'Secr3t/2026@x:y#z%41', 'Secr3t/2026@x:y#z%41'],
    ['an env line: an unquoted value loses its edge spaces (EnvironmentFile)', 'REDIS_USERNAME=admin\nREDIS_PASSWORD= sp \n', 'sp'],
    ['an env line: a quoted value keeps them', 'PASSWORD=" a b "\n', ' a b '],
  ])('%s', async (_what, text, expected) => {
    expect(await read(`f${Math.random()}`, text)).toBe(expected);
  });

  it('an empty file is a config error', async () => {
    await expect(read('empty', '\n')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
