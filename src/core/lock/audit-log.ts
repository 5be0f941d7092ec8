import { appendFile, mkdir } from 'node:fs/promises';
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

export function auditIdentity(): { operator: string; host: string; pid: number } {
  let operator = process.env.SUDO_USER || process.env.USER || 'unknown';
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
    await appendFile(file, JSON.stringify(record) + '\n', { mode: 0o600, flag: 'a' });
  } catch (err) {
    throw new GridctlError('OPERATION_FAILED', `the lock was removed, but the audit record could not be written to ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'record this release by hand; set lock.auditLog in gridctl.yaml or GRIDCTL_AUDIT_LOG to a writable file',
      cause: err,
      details: { record },
    });
  }
}
