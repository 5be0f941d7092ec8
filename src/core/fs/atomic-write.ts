import { open, rename, unlink, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Write a file so that readers see either the old content or the new, never half of it:
 * write to a temporary name in the same directory, fsync, then rename over the final name.
 */
export async function writeFileAtomic(file: string, data: string | Buffer, opts: { mode?: number } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', opts.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    // The mode given to open() is filtered by the umask; secrets must be exactly 0600.
    if (opts.mode !== undefined) await handle.chmod(opts.mode);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Mode for files holding secrets or private keys. */
export const SECRET_FILE_MODE = 0o600;
