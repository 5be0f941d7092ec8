import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export type FileKind = 'redis' | 'sentinel' | 'acl';

const SKIP_DIRS = new Set(['node_modules', '.git', '.gridctl']);

/**
 * The files a `check` argument stands for: a file as is, a directory walked for *.conf and *.acl
 * files (a few levels deep). Missing paths are returned in `missing` for a usage error.
 */
export function discoverFiles(inputs: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: string[] = [];
    try { entries = readdirSync(dir).sort(); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) { if (depth < 4 && !SKIP_DIRS.has(e) && !e.startsWith('.')) walk(p, depth + 1); }
      else if (/\.(conf|acl)$/.test(e)) files.push(p);
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st;
    try { st = statSync(abs); } catch { missing.push(input); continue; }
    if (st.isDirectory()) walk(abs, 0);
    else files.push(abs);
  }
  return { files: [...new Set(files)], missing };
}

/** redis.conf, sentinel.conf or an ACL file, from the name and a look at the contents. */
export function classifyFile(file: string, text?: string): FileKind {
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.acl')) return 'acl';
  let body = text;
  if (body === undefined) { try { body = readFileSync(file, 'utf8'); } catch { body = ''; } }
  if (/^[ \t]*sentinel[ \t]+\S/im.test(body) || base.startsWith('sentinel')) return 'sentinel';
  if (!base.endsWith('.conf')) {
    const lines = body.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    if (lines.length && lines.every((l) => l.startsWith('user '))) return 'acl';
  }
  return 'redis';
}
