import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext, isPermissionError } from '../redis/errors.js';
import type { ConnectionSpec } from '../redis/spec.js';

/** Map a failure during a backup or restore to a GridctlError (permission denied -> exit 4 with the ACL rule). */
export function classifyBackupFailure(err: unknown, spec: ConnectionSpec, endpoint: string, aclHint: string): GridctlError {
  if (err instanceof GridctlError) return err;
  const classified = classifyRedisError(err, errorContext(spec, endpoint));
  // A permission problem gets the exact ACL rule this command needs as its hint.
  return isPermissionError(err) ? new GridctlError('PERMISSION_DENIED', classified.message, { hint: aclHint, cause: err }) : classified;
}
