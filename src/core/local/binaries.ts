import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';

const APT_HINT = 'install it: sudo apt-get install -y redis-server redis-sentinel redis-tools (Debian/Ubuntu)';

/** A Redis tool under both its names (Valkey ships valkey-server, valkey-check-rdb, ...), Redis' first. */
export function serverToolNames(tool: 'server' | 'sentinel' | 'check-rdb' | 'cli'): string[] {
  return [`redis-${tool}`, `valkey-${tool}`];
}

/**
 * Find an executable on PATH (or accept an explicit path); missing -> exit 3 with the apt command.
 * Given several names, the first PATH folder holding any of them wins (a Valkey build's folder
 * first on PATH beats Debian's redis-server further down).
 */
export async function findBinary(names: string | string[], explicit?: string): Promise<string> {
  const list = typeof names === 'string' ? [names] : names;
  const name = list.join(' or ');
  const candidates = explicit ? [explicit] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).flatMap((d) => list.map((n) => path.join(d, n)));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // try the next PATH entry
    }
  }
  throw new GridctlError('TOOL_MISSING', explicit ? `${explicit} is not an executable` : `${name} not found on PATH`, { hint: APT_HINT });
}
