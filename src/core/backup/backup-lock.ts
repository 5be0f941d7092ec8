import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';

const LOCK_FILE_NAME = '.gridctl-backup.lock';

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

/** --dir made if missing; a path that is a file (or cannot be made) is a usage error, not a crash. */
export async function ensureBackupDir(dir: string): Promise<void> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => undefined);
  if (isDir === false) throw new GridctlError('USAGE', `--dir ${dir} is a file, not a folder`, { hint: 'give the folder backups go to (made when missing)' });
  if (isDir) return;
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GridctlError('USAGE', `--dir ${dir} cannot be made: ${code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file' : (code ?? (err as Error).message)}`, { cause: err });
  }
}

/**
 * No two backups into the same --dir at once: a lock file created with O_EXCL (atomic on local
 * filesystems). A lock left by a process that no longer exists on this host is stale and taken
 * over. A file lock, not Redis SET NX, because the backup ACL is read-only on purpose.
 */
export async function acquireBackupLock(dir: string): Promise<{ release(): Promise<void> }> {
  const file = path.join(dir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const h = await open(file, 'wx', 0o600);
      const content: LockContent = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
      await h.writeFile(JSON.stringify(content));
      await h.close();
      let released = false;
      const release = async () => {
        if (released) return;
        released = true;
        removeHandler();
        await unlink(file).catch(() => undefined);
      };
      const removeHandler = onCancel(release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new GridctlError('USAGE', `cannot create the lock file ${file}: ${(err as Error).message}`, { cause: err });
      const holder = await readLock(file);
      if (holder && holder.host === os.hostname() && !isAlive(holder.pid)) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host} since ${holder.startedAt}` : 'an unreadable lock file';
      throw new GridctlError('LOCKED', `another backup into ${dir} is running (${who})`, {
        hint: `wait for it to finish; if no backup is running, remove ${file}`,
        details: { lockFile: file, ...(holder ?? {}) },
      });
    }
  }
  throw new GridctlError('LOCKED', `could not take the backup lock ${file}`);
}

async function readLock(file: string): Promise<LockContent | undefined> {
  try {
    const c = JSON.parse(await readFile(file, 'utf8')) as LockContent;
    return typeof c.pid === 'number' ? c : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
