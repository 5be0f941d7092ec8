import type { Deployment } from '../redis/deployment.js';
import { scanNode } from '../redis/scan.js';
import { classifyRedisError } from '../redis/errors.js';
import { errorContext } from '../redis/connect.js';
import { describeLockKeys, type LockEntry } from './describe.js';
import type { LockSettings } from './settings.js';
import type { Coverage } from '../redis/coverage.js';

export interface LockListReport {
  patterns: string[];
  /** Masters scanned (every master of a Cluster). */
  masters: string[];
  coverage: Coverage;
  locks: LockEntry[];
  summary: { total: number; held: number; expiring: number; stuck: number };
}

/**
 * Every lock key on every master: SCAN MATCH each configured pattern on each master (a Cluster
 * spreads lock:{resource} keys over all of them), then describe each page of keys on the node it
 * came from. Stuck locks (no TTL) sort first: they are what blocks the matching engine forever.
 */
export async function listLocks(dep: Deployment, settings: Pick<LockSettings, 'patterns' | 'prefix' | 'expiringBelowMs'>): Promise<LockListReport> {
  const masters = await dep.masterClients();
  const perMaster = await Promise.all(
    masters.map(async (m) => {
      const found: LockEntry[] = [];
      const seen = new Set<string>();
      try {
        for (const pattern of settings.patterns) {
          for await (const page of scanNode(m.client, { match: pattern, count: 1000 })) {
            // SCAN may return a key twice (rehashing), and two patterns may overlap.
            const keys = page.map((k) => k.toString('utf8')).filter((k) => !seen.has(k) && seen.add(k));
            if (keys.length) found.push(...(await describeLockKeys(m.client, keys, { prefix: settings.prefix, expiringBelowMs: settings.expiringBelowMs, node: m.address })));
          }
        }
      } catch (err) {
        throw classifyRedisError(err, errorContext(dep.spec, m.address));
      }
      return found;
    }),
  );
  const order = { stuck: 0, expiring: 1, held: 2 } as const;
  const locks = perMaster.flat().sort((a, b) => order[a.state] - order[b.state] || a.key.localeCompare(b.key));
  return {
    patterns: settings.patterns,
    masters: masters.map((m) => m.address),
    coverage: await dep.coverage(masters.map((m) => m.address)),
    locks,
    summary: {
      total: locks.length,
      held: locks.filter((l) => l.state === 'held').length,
      expiring: locks.filter((l) => l.state === 'expiring').length,
      stuck: locks.filter((l) => l.state === 'stuck').length,
    },
  };
}
