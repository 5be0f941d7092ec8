import { GridctlError } from '../errors.js';

export const RDB_DAMAGE_HINT = 'the RDB file (or a DUMP payload in the backup) is damaged or truncated; use another backup, or run redis-check-rdb on it';

/** A damaged RDB: exit 6, the absolute byte offset in the message and in details. */
export function rdbIntegrity(message: string, offset: number, details: Record<string, unknown> = {}): GridctlError {
  return new GridctlError('INTEGRITY', `${message} (at byte ${offset})`, { hint: RDB_DAMAGE_HINT, details: { offset, ...details } });
}
