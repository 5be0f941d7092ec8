import path from 'node:path';

/** gridctl-backup-20261127T101500123Z: sortable by name = sortable by time, safe in every filesystem. */
export const BACKUP_PREFIX = 'gridctl-backup-';
const STAMP = /^gridctl-backup-(\d{8}T\d{9}Z)(\.|$)/;

function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

export function backupBaseName(date: Date): string {
  return `${BACKUP_PREFIX}${backupStamp(date)}`;
}

export function manifestPathFor(archiveOrBase: string): string {
  const dir = path.dirname(archiveOrBase);
  const base = path.basename(archiveOrBase).replace(/\.(gbk|manifest\.json)$/, '');
  return path.join(dir, `${base}.manifest.json`);
}

/** The timestamp a gridctl backup file name carries, or undefined for any other file. */
export function stampOf(fileName: string): string | undefined {
  return STAMP.exec(fileName)?.[1];
}
