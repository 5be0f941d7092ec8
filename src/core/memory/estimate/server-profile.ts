/**
 * Which server wrote a file, as far as memory layout goes: Redis or Valkey (aux "valkey-ver"),
 * and its version (aux "redis-ver" / "valkey-ver", or a backup's recorded server version).
 */
export interface ServerProfile {
  engine: 'redis' | 'valkey';
  version: string;
  /** Redis 7.2+ and Valkey keep small lists as one listpack instead of a quicklist. */
  listpackLists: boolean;
  /** Valkey 8+ embeds the key in its keyspace entry (no separate key sds). */
  embeddedKeys: boolean;
  /** Redis 7.2+ and Valkey track a consumer's active time (8 more bytes per consumer). */
  consumerActiveTime: boolean;
}

/** "7.2.4" -> 702; unknown parts count as 0. */
function versionNumber(version: string): number {
  const [major = 0, minor = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return major * 100 + minor;
}

export function serverProfile(aux: Record<string, string>, fallbackVersion?: string): ServerProfile {
  const valkey = aux['valkey-ver'];
  const engine = valkey ? 'valkey' : 'redis';
  const version = valkey ?? aux['redis-ver'] ?? fallbackVersion ?? '7.0.0';
  return profileFor(engine, version);
}

export function profileFor(engine: 'redis' | 'valkey', version: string): ServerProfile {
  const v = versionNumber(version);
  const modern = engine === 'valkey' || v >= 702;
  return { engine, version, listpackLists: modern, embeddedKeys: engine === 'valkey' && v >= 800, consumerActiveTime: modern };
}
