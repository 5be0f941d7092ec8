import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Map a path as the server will see it to the file in the checked tree: a prefix from pathMap is
 * swapped when the mapped file exists (a rendered scaffold in a repo), else the path is kept.
 */
export function localPath(p: string, pathMap: Array<{ from: string; to: string }>): string {
  for (const { from, to } of pathMap) {
    const prefix = from.endsWith('/') ? from : `${from}/`;
    if (p.startsWith(prefix)) {
      const mapped = path.join(to, p.slice(prefix.length));
      if (existsSync(mapped)) return mapped;
    }
  }
  return p;
}
