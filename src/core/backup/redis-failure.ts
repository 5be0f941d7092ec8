import { GridctlError } from '../errors.js';
import { classifyRedisError } from '../redis/errors.js';
import { errorContext } from '../redis/connect.js';
import type { ConnectionSpec } from '../redis/spec.js';

/**
 * Map a failure during a backup or restore to a GridctlError. A command refused by ACL inside
 * one of gridctl's scripts comes back as "ERR The user executing the script can't run this
 * command..." rather than NOPERM, so it is recognised here and reported as permission denied (exit 4).
 */
export function classifyBackupFailure(err: unknown, spec: ConnectionSpec, endpoint: string, aclHint: string): GridctlError {
  if (err instanceof GridctlError) return err;
  const msg = String((err as Error)?.message ?? err);
  if (/user executing the script can't run this command|NOPERM|no permissions to (run|access)/i.test(msg)) {
    return new GridctlError('PERMISSION_DENIED', `permission denied at ${endpoint}: ${msg.replace(/ script: [0-9a-f]{40}.*$/, '')}`, { hint: aclHint, cause: err });
  }
  return classifyRedisError(err, errorContext(spec, endpoint));
}
