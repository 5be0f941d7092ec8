/**
 * Recognise who wrote a lock from its value. Operators attribute a stuck lock to a holder by its
 * format: the gateway writes UUIDv4 strings, node-redlock writes 32 hex characters
 * (randomBytes(16)), Redisson keeps a hash whose field is `UUID:threadId` and value the re-entry count.
 */
export type LockFormat = 'uuid' | 'redlock-hex' | 'redisson' | 'opaque';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;
const REDISSON_FIELD = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:\d+$/i;

export function recognizeStringToken(token: string): LockFormat {
  if (UUID.test(token)) return 'uuid';
  if (HEX32.test(token)) return 'redlock-hex';
  return 'opaque';
}

export interface RedissonHolder {
  /** `UUID:threadId` of the holding client and thread. */
  owner: string;
  /** Re-entry count (how many times that thread has locked it). */
  count: number;
}

/** Holders of a Redisson-style hash lock, or undefined when the hash is not one. */
export function recognizeRedissonHash(fields: Record<string, string>): RedissonHolder[] | undefined {
  const entries = Object.entries(fields);
  if (entries.length === 0) return undefined;
  const holders: RedissonHolder[] = [];
  for (const [owner, count] of entries) {
    if (!REDISSON_FIELD.test(owner) || !/^\d+$/.test(count)) return undefined;
    holders.push({ owner, count: Number(count) });
  }
  return holders;
}

/**
 * A token as shown in tables: enough to tell holders apart and to match a log line, short enough
 * to keep a row on one line. `--json` keeps the full token.
 */
export function shortenToken(token: string, keep = 8): string {
  if (token.length <= keep * 2 + 1) return token;
  return `${token.slice(0, keep)}…${token.slice(-4)}`;
}
