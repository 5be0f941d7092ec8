import type { AnyRedis } from '../redis/connect.js';
import { describeLockKeys, type LockEntry } from './describe.js';
import type { LockSettings } from './settings.js';

/** One lock key in detail, or undefined when no such key exists. */
export async function inspectLock(client: AnyRedis, key: string, settings: Pick<LockSettings, 'prefix' | 'expiringBelowMs'>): Promise<LockEntry | undefined> {
  const [entry] = await describeLockKeys(client, [key], { prefix: settings.prefix, expiringBelowMs: settings.expiringBelowMs });
  return entry;
}

/** The FORCE_RELEASE_SCRIPT arguments that pin what the operator confirmed: type, then token or hash fields. */
export function forceReleaseArgs(entry: Pick<LockEntry, 'type' | 'token' | 'fields'>): string[] {
  if (entry.type === 'string') return ['string', entry.token ?? ''];
  if (entry.type === 'hash') return ['hash', ...(entry.fields ?? [])];
  return [entry.type];
}
