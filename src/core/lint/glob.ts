import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const WILDCARD = /[*?[]/;

/** Translate one path component of a glob(3) pattern (* ? [...]) to a RegExp. */
function componentRegExp(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = part.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function hasWildcard(pattern: string): boolean {
  return WILDCARD.test(pattern);
}

/**
 * Expand an absolute glob pattern the way Redis' `include` does (glob(3), sorted, hidden files
 * only when asked for explicitly); no match is an empty list, which Redis silently ignores.
 */
export function expandGlob(pattern: string): string[] {
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases = [parts[0] === '' ? '/' : parts[0]!];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const base of bases) {
      if (!WILDCARD.test(part)) {
        next.push(path.join(base, part));
        continue;
      }
      const re = componentRegExp(part);
      let entries: string[] = [];
      try {
        entries = readdirSync(base);
      } catch {
        continue;
      }
      for (const e of entries) if (re.test(e) && (!e.startsWith('.') || part.startsWith('.'))) next.push(path.join(base, e));
    }
    bases = next;
  }
  return bases.filter((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  }).sort();
}
