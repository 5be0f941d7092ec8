import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import type { Coverage } from '../redis/coverage.js';
import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { masterForKey } from './locate.js';
import { idAgeMs } from './stream-id.js';
import type { PendingEntrySummary } from './types.js';

export interface PendingFilter {
  consumer?: string;
  /** Only entries idle (since their last delivery) at least this long. */
  minIdleMs?: number;
  /** Only entries delivered at least this many times ("poison"). */
  minDeliveries?: number;
}

export interface PendingReport {
  stream: string;
  group: string;
  node: string;
  checkedAt: string;
  filter: PendingFilter;
  /** Entries matching the filter (all of them, even past --limit). */
  matched: number;
  /** The first --limit of them, lowest id first. */
  entries: PendingEntrySummary[];
  truncated: boolean;
  coverage: Coverage;
}

const PAGE = 10_000;

/** `gridctl stream pending STREAM GROUP`: the group's pending entries, filtered, read on the stream's master. */
export async function listPending(dep: Deployment, stream: string, group: string, filter: PendingFilter, limit: number, now = Date.now()): Promise<PendingReport> {
  const { client, address } = await masterForKey(dep, stream);
  const entries: PendingEntrySummary[] = [];
  let matched = 0;
  try {
    for await (const page of pendingPages(client, stream, group, filter, now)) {
      for (const e of page) {
        matched++;
        if (entries.length < limit) entries.push(e);
      }
    }
  } catch (err) {
    throw groupError(err, stream, group) ?? classifyRedisError(err, errorContext(dep.spec, address));
  }
  return { stream, group, node: address, checkedAt: new Date(now).toISOString(), filter, matched, entries, truncated: matched > entries.length, coverage: await dep.coverage([address]) };
}

/**
 * The pending entries matching the filter, page by page: XPENDING's own IDLE and consumer
 * filters on the server, the delivery count here (XPENDING has no filter for it).
 */
export async function* pendingPages(client: Redis, stream: string, group: string, filter: PendingFilter, now: number): AsyncGenerator<PendingEntrySummary[]> {
  let start = '-';
  for (;;) {
    const args: Array<string | number> = [stream, group];
    if (filter.minIdleMs) args.push('IDLE', filter.minIdleMs);
    args.push(start, '+', PAGE);
    if (filter.consumer) args.push(filter.consumer);
    const page = (await client.call('XPENDING', ...args)) as Array<[string, string, number, number]>;
    const picked = page
      .map(([id, consumer, idle, count]) => ({ id, consumer, idleMs: Number(idle), ageMs: idAgeMs(id, now), deliveries: Number(count) }))
      .filter((e) => e.deliveries >= (filter.minDeliveries ?? 0));
    if (picked.length) yield picked;
    if (page.length < PAGE) return;
    start = `(${page[page.length - 1]![0]}`;
  }
}

/** NOGROUP / no such key, as the one message an operator can act on (exit 1). */
export function groupError(err: unknown, stream: string, group: string): GridctlError | undefined {
  const msg = String((err as Error)?.message ?? err);
  if (/NOGROUP|no such key/i.test(msg)) {
    return new GridctlError('NOT_FOUND', `no consumer group ${group} on stream ${stream}`, { hint: `see the groups with \`gridctl stream inspect ${stream}\`` });
  }
  return undefined;
}
