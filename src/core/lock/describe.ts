import type { Redis, Cluster } from 'ioredis';
import { recognizeRedissonHash, recognizeStringToken, type LockFormat, type RedissonHolder } from './format.js';
import { resourceOf } from './settings.js';

export type LockState = 'held' | 'stuck' | 'expiring';

/** One lock key as `lock list` and `lock inspect` report it (the JSON model; tables shorten the token). */
export interface LockEntry {
  key: string;
  resource: string;
  /** Master that holds the key (host:port), when known. */
  node?: string;
  /** Redis type of the key: string for SET NX locks, hash for Redisson. */
  type: string;
  /** The full token of a string lock. */
  token?: string;
  /** Holders of a Redisson hash lock. */
  holders?: RedissonHolder[];
  /** Field names of a hash lock (what a forced release compares). */
  fields?: string[];
  format: LockFormat;
  /** Milliseconds left, or null when the key has no TTL (a stuck lock: nothing will ever free it). */
  ttlMs: number | null;
  state: LockState;
  /** OBJECT IDLETIME before gridctl read the value; null when the server refuses it (LFU policy, ACL). */
  idleSeconds: number | null;
}

export interface DescribeOptions {
  prefix: string;
  expiringBelowMs: number;
  node?: string;
}

/**
 * Read what a lock key holds, for a batch of keys on one client. The commands are sent together
 * (ioredis pipelines commands issued in the same tick), so a page of keys costs two round trips.
 * Only read commands are used (TYPE, PTTL, OBJECT IDLETIME, GET, HGETALL) so a read-only ACL user works.
 * OBJECT IDLETIME is asked first because GET and HGETALL reset the idle clock.
 */
export async function describeLockKeys(client: Redis | Cluster, keys: string[], opts: DescribeOptions): Promise<LockEntry[]> {
  const meta = await Promise.all(
    keys.map(async (key) => {
      const [type, pttl, idle] = await Promise.all([
        client.type(key),
        client.pttl(key),
        (client.object('IDLETIME', key) as Promise<number | null>).catch(() => null),
      ]);
      return { key, type, pttl, idle };
    }),
  );
  const values = await Promise.all(
    meta.map(async (m) => {
      if (m.type === 'string') return { token: (await client.get(m.key)) ?? undefined };
      if (m.type === 'hash') return { fields: await client.hgetall(m.key) };
      return {};
    }),
  );
  const out: LockEntry[] = [];
  meta.forEach((m, i) => {
    // -2 / "none": the key expired or was released between SCAN and the read; it is no longer a lock.
    if (m.type === 'none' || m.pttl === -2) return;
    const v = values[i]!;
    const ttlMs = m.pttl === -1 ? null : m.pttl;
    const entry: LockEntry = {
      key: m.key,
      resource: resourceOf(m.key, opts.prefix),
      type: m.type,
      format: 'opaque',
      ttlMs,
      state: ttlMs === null ? 'stuck' : ttlMs <= opts.expiringBelowMs ? 'expiring' : 'held',
      idleSeconds: typeof m.idle === 'number' ? m.idle : null,
    };
    if (opts.node) entry.node = opts.node;
    if ('token' in v && v.token !== undefined) {
      entry.token = v.token;
      entry.format = recognizeStringToken(v.token);
    } else if ('fields' in v && v.fields) {
      entry.fields = Object.keys(v.fields);
      const holders = recognizeRedissonHash(v.fields);
      if (holders) {
        entry.holders = holders;
        entry.format = 'redisson';
      }
    }
    out.push(entry);
  });
  return out;
}
