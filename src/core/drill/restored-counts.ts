import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import { scanNode } from '../redis/scan.js';
import type { NamespaceConfig } from '../config/schema.js';
import { NamespaceMatcher } from '../namespaces/matcher.js';
import type { TypeCounts, KeyType } from '../backup/archive-format.js';
import type { DrillCheck } from './drill-check.js';

export interface ServerCounts {
  keys: number;
  byType: TypeCounts;
  byNamespace: Record<string, number>;
}

const TYPE_OF: Record<string, KeyType> = { string: 'string', list: 'list', set: 'set', zset: 'zset', hash: 'hash', stream: 'stream' };

/** Every key of the deployment counted by TYPE and by namespace (the same matcher the backup uses). */
export async function countRestoredKeys(dep: Deployment, namespaces: readonly NamespaceConfig[]): Promise<ServerCounts> {
  const matcher = new NamespaceMatcher(namespaces, { prefixDepth: 1 });
  const counts: ServerCounts = { keys: 0, byType: {}, byNamespace: {} };
  for (const m of await dep.masterClients()) await countNode(m.client, matcher, counts);
  return counts;
}

async function countNode(client: Redis, matcher: NamespaceMatcher, counts: ServerCounts): Promise<void> {
  for await (const keys of scanNode(client, { count: 1000 })) {
    const pipeline = client.pipeline();
    for (const k of keys) pipeline.type(k);
    const types = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const reply = types[i]?.[1];
      if (reply === 'none') return; // expired between SCAN and TYPE
      const type = TYPE_OF[String(reply)] ?? 'other';
      counts.keys++;
      counts.byType[type] = (counts.byType[type] ?? 0) + 1;
      const ns = matcher.match(key.toString('latin1')).name;
      counts.byNamespace[ns] = (counts.byNamespace[ns] ?? 0) + 1;
    });
  }
}

/**
 * The backup's counts against what the restored server holds. Keys that expired between the backup
 * and the drill are not restored: `expired` of them may be missing, never more, and never extra keys.
 */
export function compareCounts(check: string, expected: Record<string, number>, actual: Record<string, number>, expired: number): DrillCheck {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const differ = names.filter((n) => (expected[n] ?? 0) !== (actual[n] ?? 0));
  const missing = differ.reduce((sum, n) => sum + Math.max(0, (expected[n] ?? 0) - (actual[n] ?? 0)), 0);
  const extra = differ.some((n) => (actual[n] ?? 0) > (expected[n] ?? 0));
  const show = (o: Record<string, number>) => names.filter((n) => o[n]).map((n) => `${n} ${o[n]}`).join(', ') || 'none';
  const result: DrillCheck = { check, status: 'PASS', expected: show(expected), actual: show(actual) };
  if (!differ.length) return result;
  const named = differ.slice(0, 8).map((n) => `${n}: backup ${expected[n] ?? 0}, restored ${actual[n] ?? 0}`).join('; ');
  if (!extra && missing <= expired) return { ...result, detail: `${missing} key(s) expired since the backup (${named})` };
  return { ...result, status: 'FAIL', detail: named };
}
