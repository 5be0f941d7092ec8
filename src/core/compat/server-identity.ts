import { maxRdbVersionFor } from '../backup/dump-payload.js';

export type Engine = 'redis' | 'valkey';

/** Which server a backup came from or a restore goes to: what decides which RDB versions it reads. */
export interface ServerIdentity {
  engine: Engine;
  /** The engine's own version: valkey_version on Valkey (its redis_version stays 7.2.4). */
  version: string;
  /** The RDB version it writes (and the newest it reads); absent when the version says nothing (a source build of an unstable branch). */
  rdbVersion?: number;
}

/**
 * The identity in an INFO server reply (parsed: field -> value). Valkey names itself in
 * server_name (8.0+) or valkey_version; everything else is Redis.
 */
export function identityFromInfo(info: Record<string, string | undefined>): ServerIdentity {
  const valkey = info.server_name === 'valkey' || info.valkey_version !== undefined;
  const engine: Engine = valkey ? 'valkey' : 'redis';
  const version = (valkey ? info.valkey_version : info.redis_version) ?? info.redis_version ?? '0.0.0';
  const rdbVersion = rdbVersionFor(engine, version);
  return { engine, version, ...(rdbVersion !== undefined ? { rdbVersion } : {}) };
}

/**
 * The RDB version a server writes. Valkey kept Redis 7.2's 11 through 8.x and moved to its own
 * numbers (80, 81) with 9.0; an unstable build reports 255.255.255, which says nothing about it.
 */
export function rdbVersionFor(engine: Engine, version: string): number | undefined {
  if (engine === 'redis') return maxRdbVersionFor(version);
  if (version.startsWith('255.')) return undefined;
  const [maj = 0, min = 0] = version.split('.').map(Number);
  if (maj < 9) return 11;
  return maj === 9 && min < 2 ? 80 : 81;
}

/** `Redis 7.4.1` / `Valkey 8.0.1`, for messages and reports (no engine recorded: Redis, what gridctl knew before Valkey). */
export function describeServer(s: { engine?: Engine | undefined; version: string }): string {
  return `${s.engine === 'valkey' ? 'Valkey' : 'Redis'} ${s.version}`;
}
