/**
 * A failed write in words an operator acts on: a full disk, a quota, a file-size limit, or the
 * system's own message. One list, used by every writer of backups (archive, RDB, manifest).
 */
export function describeWriteFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'the disk quota is exceeded';
  if (code === 'EFBIG') return 'the file-size limit was reached (ulimit -f)';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `the folder is not writable (${code})`;
  return (err as Error).message;
}

/** Errors that mean "the disk (or a limit on it) refused the bytes", not a bug. */
export function isWriteFailure(err: unknown): boolean {
  return ['ENOSPC', 'EDQUOT', 'EFBIG', 'EACCES', 'EPERM', 'EROFS', 'EIO'].includes((err as NodeJS.ErrnoException).code ?? '');
}
