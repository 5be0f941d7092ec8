import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';

const APT_HINT = 'install it: sudo apt-get install -y redis-server redis-sentinel redis-tools (Debian/Ubuntu)';

/** Find an executable on PATH (or accept an explicit path); missing -> exit 3 with the apt command. */
export async function findBinary(name: string, explicit?: string): Promise<string> {
  const candidates = explicit ? [explicit] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
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
