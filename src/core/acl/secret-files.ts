import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic, SECRET_FILE_MODE } from '../fs/atomic-write.js';
import { GridctlError } from '../errors.js';

/**
 * The files where gridctl keeps a user's password, rewritten in place: a secrets/<role>.env
 * (REDIS_PASSWORD=), or a plain password file; secrets/replication.conf and secrets/sentinel.conf
 * (the include files init writes for masterauth and the Sentinels' passwords); users.acl hashes.
 */
export async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GridctlError('CONFIG_INVALID', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The secret file with the new password: an env file keeps its other lines; a plain file is just the password. */
export function renderSecretFile(existing: string | undefined, file: string, user: string, password: string): string {
  if (existing !== undefined && /^REDIS_PASSWORD=/m.test(existing)) return existing.replace(/^REDIS_PASSWORD=.*$/m, `REDIS_PASSWORD=${password}`);
  if (existing === undefined && file.endsWith('.env')) return `REDIS_USERNAME=${user}\nREDIS_PASSWORD=${password}\n`;
  return password + '\n';
}

export async function writeSecretFile(file: string, user: string, password: string): Promise<void> {
  await writeFileAtomic(file, renderSecretFile(await readText(file), file, user, password), { mode: SECRET_FILE_MODE });
}

/** The include files' lines that carry `user`'s password (masterauth after masteruser, auth-pass after auth-user, sentinel-pass after sentinel-user). */
export function renderIncludeSecrets(text: string, user: string, password: string): string {
  const lines = text.split('\n');
  const masterUser = lines.some((l) => l.trim().split(/\s+/).join(' ') === `masteruser ${user}`);
  const authUserOf = new Set(lines.map((l) => /^\s*sentinel\s+auth-user\s+(\S+)\s+(\S+)\s*$/.exec(l)).filter((m) => m && m[2] === user).map((m) => m![1]!));
  const sentinelUser = lines.some((l) => l.trim().split(/\s+/).join(' ') === `sentinel sentinel-user ${user}`);
  return lines
    .map((l) => {
      if (masterUser && /^\s*masterauth\s/.test(l)) return `masterauth ${password}`;
      const auth = /^\s*sentinel\s+auth-pass\s+(\S+)\s/.exec(l);
      if (auth && authUserOf.has(auth[1]!)) return `sentinel auth-pass ${auth[1]} ${password}`;
      if (sentinelUser && /^\s*sentinel\s+sentinel-pass\s/.test(l)) return `sentinel sentinel-pass ${password}`;
      return l;
    })
    .join('\n');
}

/** users.acl with `user`'s passwords replaced by exactly these hashes (ACL-file syntax: single spaces, no quotes). */
export function renderAclFileHashes(text: string, user: string, hashes: readonly string[]): string {
  return text
    .split('\n')
    .map((line) => {
      const tokens = line.split(' ');
      if (tokens[0] !== 'user' || tokens[1] !== user) return line;
      const isPassword = (t: string) => /^#[0-9a-f]{64}$/.test(t) || t.startsWith('>') || t === 'nopass';
      const at = tokens.findIndex((t, i) => i >= 2 && isPassword(t));
      const rest = tokens.slice(2).filter((t) => !isPassword(t));
      const insertAt = at >= 2 ? at - 2 : Math.max(0, rest.findIndex((t) => t === 'on' || t === 'off') + 1);
      rest.splice(insertAt, 0, ...hashes.map((h) => `#${h}`));
      return ['user', user, ...rest].join(' ');
    })
    .join('\n');
}

/** Rewrite a file through `render` when it exists and the result differs, keeping its mode; true when it was written. */
export async function rewriteIfChanged(file: string, render: (text: string) => string): Promise<boolean> {
  const text = await readText(file);
  if (text === undefined) return false;
  const next = render(text);
  if (next === text) return false;
  await writeFileAtomic(file, next, { mode: (await stat(file)).mode & 0o777 });
  return true;
}
