import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import type { Coverage } from '../redis/coverage.js';
import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { masterForKey } from './locate.js';
import { compareIds, numOrNull, pairs } from './stream-id.js';

export type TrimStrategy = { maxLen: number } | { minId: string };

/**
 * `1733500000000` -> `1733500000000-0`: XTRIM MINID reads a bare time as sequence 0, while XRANGE
 * reads a bare end id as the last sequence of that millisecond; counting with the full id makes
 * the plan count exactly what XTRIM removes.
 */
function fullMinId(strategy: TrimStrategy): TrimStrategy {
  return 'minId' in strategy && !strategy.minId.includes('-') ? { minId: `${strategy.minId}-0` } : strategy;
}

export interface TrimGroupImpact {
  group: string;
  /** Entries the group has not read yet that the trim removes (null: unknown, the group's lag is unknown). */
  undeliveredRemoved: number | null;
  /** Pending entries of the group whose content the trim removes (null: not counted for MAXLEN). */
  pendingRemoved: number | null;
}

export interface TrimReport {
  stream: string;
  node: string;
  strategy: TrimStrategy;
  dryRun: boolean;
  lengthBefore: number;
  /** Counted before anything changed. */
  toRemove: number;
  /** What XTRIM answered (null on a dry run). */
  removed: number | null;
  groups: TrimGroupImpact[];
  coverage: Coverage;
}

const PAGE = 10_000;

/** How many entries a trim removes and what the consumer groups lose with them; nothing changes. */
export async function planTrim(dep: Deployment, stream: string, given: TrimStrategy): Promise<Omit<TrimReport, 'dryRun' | 'removed'>> {
  const strategy = fullMinId(given);
  const { client, address } = await masterForKey(dep, stream);
  try {
    const type = await client.type(stream);
    if (type !== 'stream') throw new GridctlError('NOT_FOUND', type === 'none' ? `stream ${stream} does not exist` : `${stream} is a ${type}, not a stream`);
    const lengthBefore = Number(await client.xlen(stream));
    const groups = ((await client.call('XINFO', 'GROUPS', stream)) as unknown[]).map(pairs);
    let toRemove: number;
    let impacts: TrimGroupImpact[];
    if ('maxLen' in strategy) {
      toRemove = Math.max(0, lengthBefore - strategy.maxLen);
      // The undelivered entries are the newest `lag`; MAXLEN keeps the newest maxLen.
      impacts = groups.map((g) => {
        const lag = numOrNull(g.lag);
        return { group: String(g.name), undeliveredRemoved: lag === null ? null : Math.max(0, Math.min(lag, lengthBefore) - strategy.maxLen), pendingRemoved: null };
      });
    } else {
      const below = await idsBelow(client, stream, strategy.minId, groups.map((g) => String(g['last-delivered-id'] ?? '0-0')));
      toRemove = below.count;
      impacts = await Promise.all(
        groups.map(async (g, i) => ({ group: String(g.name), undeliveredRemoved: below.afterDelivered[i]!, pendingRemoved: await pendingBelow(client, stream, String(g.name), strategy.minId) })),
      );
    }
    return { stream, node: address, strategy, lengthBefore, toRemove, groups: impacts, coverage: await dep.coverage([address]) };
  } catch (err) {
    if (err instanceof GridctlError) throw err;
    throw classifyRedisError(err, errorContext(dep.spec, address));
  }
}

/** XTRIM with the exact (=) threshold, so the count removed is the one the plan showed (entries added since aside). */
export async function applyTrim(dep: Deployment, stream: string, given: TrimStrategy): Promise<number> {
  const strategy = fullMinId(given);
  const { client, address } = await masterForKey(dep, stream);
  try {
    const args = 'maxLen' in strategy ? ['MAXLEN', '=', strategy.maxLen] : ['MINID', '=', strategy.minId];
    return Number(await client.call('XTRIM', stream, ...args));
  } catch (err) {
    throw classifyRedisError(err, errorContext(dep.spec, address));
  }
}

/** Entries with an id below minId (what MINID removes), and how many of them each group has not read yet. */
async function idsBelow(client: Redis, stream: string, minId: string, lastDelivered: string[]): Promise<{ count: number; afterDelivered: number[] }> {
  let count = 0;
  const afterDelivered = lastDelivered.map(() => 0);
  let start = '-';
  for (;;) {
    const page = (await client.call('XRANGE', stream, start, `(${minId}`, 'COUNT', PAGE)) as Array<[string, unknown]>;
    for (const [id] of page) {
      count++;
      lastDelivered.forEach((d, i) => {
        if (compareIds(id, d) > 0) afterDelivered[i]!++;
      });
    }
    if (page.length < PAGE) return { count, afterDelivered };
    start = `(${page[page.length - 1]![0]}`;
  }
}

async function pendingBelow(client: Redis, stream: string, group: string, minId: string): Promise<number> {
  let n = 0;
  let start = '-';
  for (;;) {
    const page = (await client.call('XPENDING', stream, group, start, `(${minId}`, PAGE)) as Array<[string]>;
    n += page.length;
    if (page.length < PAGE) return n;
    start = `(${page[page.length - 1]![0]}`;
  }
}
