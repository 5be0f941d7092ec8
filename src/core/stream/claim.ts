import type { Deployment } from '../redis/deployment.js';
import type { Coverage } from '../redis/coverage.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { masterForKey } from './locate.js';
import { groupError, pendingPages } from './pending.js';
import type { PendingEntrySummary } from './types.js';

export interface ClaimRequest {
  stream: string;
  group: string;
  /** The consumer the entries go to (created by XAUTOCLAIM when it does not exist). */
  consumer: string;
  minIdleMs: number;
  /** At most this many entries. */
  limit: number;
}

export interface ClaimReport {
  stream: string;
  group: string;
  consumer: string;
  node: string;
  minIdleMs: number;
  dryRun: boolean;
  /** What was found idle enough before anything changed. */
  candidates: PendingEntrySummary[];
  /** Ids now owned by `consumer` (empty on a dry run). */
  claimed: string[];
  /** Pending ids whose entry no longer exists: XAUTOCLAIM removed them from the PEL. */
  deletedFromPel: string[];
  coverage: Coverage;
}

const PAGE = 100;

/** The entries a claim would move: pending, idle at least minIdle, not already the target's. */
export async function planClaim(dep: Deployment, req: ClaimRequest, now = Date.now()): Promise<Omit<ClaimReport, 'dryRun' | 'claimed' | 'deletedFromPel'>> {
  const { client, address } = await masterForKey(dep, req.stream);
  const candidates: PendingEntrySummary[] = [];
  try {
    for await (const page of pendingPages(client, req.stream, req.group, { minIdleMs: req.minIdleMs }, now)) {
      for (const e of page) if (e.consumer !== req.consumer && candidates.length < req.limit) candidates.push(e);
      if (candidates.length >= req.limit) break;
    }
  } catch (err) {
    throw groupError(err, req.stream, req.group) ?? classifyRedisError(err, errorContext(dep.spec, address));
  }
  return { stream: req.stream, group: req.group, consumer: req.consumer, node: address, minIdleMs: req.minIdleMs, candidates, coverage: await dep.coverage([address]) };
}

/**
 * XAUTOCLAIM ... JUSTID in pages until the PEL is walked or `limit` entries moved. JUSTID leaves
 * the delivery counts alone: a claim hands work over, it is not another delivery attempt.
 */
export async function applyClaim(dep: Deployment, req: ClaimRequest): Promise<{ claimed: string[]; deletedFromPel: string[] }> {
  const { client, address } = await masterForKey(dep, req.stream);
  const claimed: string[] = [];
  const deletedFromPel: string[] = [];
  let cursor = '0-0';
  try {
    do {
      const count = Math.min(PAGE, req.limit - claimed.length);
      const reply = (await client.call('XAUTOCLAIM', req.stream, req.group, req.consumer, req.minIdleMs, cursor, 'COUNT', count, 'JUSTID')) as [string, string[], string[]?];
      cursor = String(reply[0]);
      claimed.push(...reply[1].map(String));
      deletedFromPel.push(...(reply[2] ?? []).map(String));
    } while (cursor !== '0-0' && claimed.length < req.limit);
  } catch (err) {
    throw groupError(err, req.stream, req.group) ?? classifyRedisError(err, errorContext(dep.spec, address));
  }
  return { claimed, deletedFromPel };
}
