import { readFile } from 'node:fs/promises';
import { GridctlError } from '../errors.js';
import { registerSecret } from '../mask.js';

/**
 * Read a password from a file: either the whole file less one final newline (spaces at either end
 * are part of the password: Redis compares every byte), or the value of a PASSWORD-like line in an
 * env file (REDIS_PASSWORD=..., PASSWORD=..., <ROLE>_PASSWORD=...), as init writes them; there, as in
 * systemd's EnvironmentFile, an unquoted value loses its edge spaces and a quoted one keeps them.
 */
export async function readPasswordFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GridctlError('CONFIG_NOT_FOUND', `cannot read password file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'check the path given by --password-file or the target\'s passwordFile',
      cause: err,
    });
  }
  const envLine = text
    .split(/\r?\n/)
    .map((l) => /^\s*(?:export\s+)?([A-Z0-9_]*PASSWORD|PASS)\s*=\s*(.*?)\s*$/.exec(l))
    .find(Boolean);
  const password = envLine ? envLine[2]!.replace(/^(['"])(.*)\1$/, '$2') : text.replace(/\r?\n$/, '');
  if (!password) throw new GridctlError('CONFIG_INVALID', `password file ${file} is empty`);
  registerSecret(password);
  return password;
}
