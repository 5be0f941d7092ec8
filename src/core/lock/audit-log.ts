import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GridctlError } from '../errors.js';

/**
 * The local record of forced lock releases: one JSON object per line, appended (never rewritten,
 * so concurrent operators cannot clobber each other's lines), mode 0600. During the post-mortem it
 * answers "who removed which lock, held by which token, when".
 */
export interface ForceReleaseAuditRecord {
  time: string;
  action: 'lock.release.force';
  key: string;
  type: string;
  /** The token (or Redisson owners, joined) that was removed, in full. */
  removed: string;
  ttlMsLeft: number | null;
  target: string;
  operator: string;
  host: string;
  pid: number;
  reason?: string;
}

/** Who removed the lock: the account's name, else the environment's (SUDO_USER, USER). */
export function auditIdentity(env: Readonly<Record<string, string | undefined>>): { operator: string; host: string; pid: number } {
  let operator = env.SUDO_USER || env.USER || 'unknown';
  try {
    operator = os.userInfo().username;
  } catch {
    // No passwd entry (containers): keep the environment's name.
  }
  return { operator, host: os.hostname(), pid: process.pid };
}

export async function appendAuditRecord(file: string, record: ForceReleaseAuditRecord): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await appendPrivately(file, JSON.stringify(record) + '\n');
  } catch (err) {
    throw new GridctlError('OPERATION_FAILED', `the lock was removed, but the audit record could not be written to ${file}: ${auditFailure(err)}`, {
      hint: 'record this release by hand; set lock.auditLog in gridctl.yaml or GRIDCTL_AUDIT_LOG to a writable file',
      cause: err,
      details: { record },
    });
  }
}

/**
 * Append to a regular file that stays 0600: O_NOFOLLOW refuses a symlink planted at the path (it
 * could point the records into a world-readable file), O_NONBLOCK keeps a FIFO from hanging the open,
 * and a file created looser is narrowed.
 */
async function appendPrivately(file: string, line: string): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if ((st.mode & 0o077) !== 0) await handle.chmod(0o600);
    await handle.appendFile(line);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function auditFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'it is a symbolic link (refused: the records must not follow it)';
  if (code === 'ENOTREG') return 'it is not a regular file';
  return code ?? (err as Error).message;
}
