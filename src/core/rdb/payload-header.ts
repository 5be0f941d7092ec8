import type { RdbHeader } from './header.js';

/**
 * A DUMP payload names only its RDB version: from 80 on it is Valkey's format (type 22 is
 * HASH_2 there), below it Redis' (which Valkey 7.2-8.x also writes).
 */
export function profileForPayload(version: number): RdbHeader {
  const valkey = version >= 80;
  return { engine: valkey ? 'valkey' : 'redis', version, writtenBy: valkey ? 'Valkey 9+' : `RDB ${version}`, notes: [] };
}
