import type { Redis } from 'ioredis';
import type { Deployment } from '../redis/deployment.js';
import type { GridctlConfig } from '../config/schema.js';
import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { masterForKey } from './locate.js';
import { groupThresholds, type GroupThresholds } from './settings.js';
import { compareIds, idAgeMs, numOrNull, pairs } from './stream-id.js';
import { groupFindings } from './findings.js';
import type { ConsumerState, GroupState, PendingEntrySummary, StreamInspectReport } from './types.js';

/** XPENDING pages read to find the highest delivery count; beyond this many entries the values are from a prefix. */
const PENDING_SCAN_LIMIT = 100_000;
const PENDING_PAGE = 10_000;

type StreamState = Omit<StreamInspectReport, 'node' | 'coverage' | 'checkedAt'>;

/** `gridctl stream inspect STREAM`: the stream on the master that holds it, its groups and consumers, and the findings. */
export async function inspectStream(dep: Deployment, stream: string, config: GridctlConfig, now = Date.now()): Promise<StreamInspectReport> {
  const { client, address } = await masterForKey(dep, stream);
  try {
    const state = await readStreamState(client, stream, config, now);
    return { ...state, node: address, checkedAt: new Date(now).toISOString(), coverage: await dep.coverage([address]) };
  } catch (err) {
    if (err instanceof GridctlError) throw err;
    throw classifyRedisError(err, errorContext(dep.spec, address));
  }
}

/** A stream's state read on the node that holds it; NOT_FOUND when the key is missing or not a stream. */
export async function readStreamState(client: Redis, stream: string, config: GridctlConfig, now: number): Promise<StreamState> {
  const type = await client.type(stream);
  if (type !== 'stream') {
    throw new GridctlError('NOT_FOUND', type === 'none' ? `stream ${stream} does not exist` : `${stream} is a ${type}, not a stream`, {
      hint: 'list the streams with `gridctl stream list`',
    });
  }
  const info = pairs(await client.call('XINFO', 'STREAM', stream));
  const firstId = entryId(info['first-entry']);
  const lastId = entryId(info['last-entry']) ?? (info['last-generated-id'] && info['length'] !== 0 ? String(info['last-generated-id']) : null);
  const maxDeletedId = info['max-deleted-entry-id'] === undefined ? null : String(info['max-deleted-entry-id']);
  const groupsRaw = ((await client.call('XINFO', 'GROUPS', stream)) as unknown[]).map(pairs);
  const groups: GroupState[] = [];
  for (const g of groupsRaw) groups.push(await readGroupState(client, stream, g, maxDeletedId, groupThresholds(config, stream, String(g.name)), now));
  return {
    stream,
    length: Number(info.length ?? 0),
    firstId,
    lastId,
    firstAgeMs: idAgeMs(firstId, now),
    lastAgeMs: idAgeMs(lastId, now),
    entriesAdded: numOrNull(info['entries-added']),
    maxDeletedId,
    groups,
    findings: groups.flatMap((g) => groupFindings(stream, g)),
  };
}

async function readGroupState(client: Redis, stream: string, g: Record<string, unknown>, maxDeletedId: string | null, thresholds: GroupThresholds, now: number): Promise<GroupState> {
  const name = String(g.name);
  const lastDeliveredId = String(g['last-delivered-id'] ?? '0-0');
  const lag = numOrNull(g.lag);
  const entriesRead = numOrNull(g['entries-read']);
  const consumersRaw = ((await client.call('XINFO', 'CONSUMERS', stream, name)) as unknown[]).map(pairs);
  const consumerStates: ConsumerState[] = consumersRaw.map((c) => {
    const pending = Number(c.pending ?? 0);
    const idleMs = Number(c.idle ?? 0);
    const inactiveMs = c.inactive === undefined ? null : Number(c.inactive);
    // inactive is -1 for a consumer that never read successfully: it has been inactive since it was created.
    const quietFor = inactiveMs === null ? idleMs : inactiveMs < 0 ? idleMs : inactiveMs;
    return { name: String(c.name), pending, idleMs, inactiveMs, dead: pending > 0 && quietFor >= thresholds.deadConsumerAfterMs };
  });
  const pel = await scanPending(client, stream, name, Number(g.pending ?? 0), thresholds.poisonDeliveries, now);
  return {
    name,
    consumers: Number(g.consumers ?? consumerStates.length),
    pending: Number(g.pending ?? 0),
    lag,
    ...(lag === null ? { lagUnknownReason: lagUnknownReason(g, lastDeliveredId, maxDeletedId) } : {}),
    entriesRead,
    lastDeliveredId,
    lastDeliveredAgeMs: idAgeMs(lastDeliveredId, now),
    oldestPending: pel.oldest,
    maxPendingIdleMs: pel.maxIdleMs,
    maxDeliveries: pel.maxDeliveries,
    poisonEntries: pel.poison,
    pendingScanned: pel.scanned,
    consumerStates,
    deadConsumers: consumerStates.filter((c) => c.dead).map((c) => c.name),
    thresholds,
  };
}

/** Why XINFO GROUPS gave no lag: said in the report instead of a 0 that would hide a stuck group. */
export function lagUnknownReason(g: Record<string, unknown>, lastDeliveredId: string, maxDeletedId: string | null): string {
  if (!('lag' in g)) return 'this Redis (before 7.0) does not report lag';
  if (maxDeletedId && maxDeletedId !== '0-0' && compareIds(maxDeletedId, lastDeliveredId) > 0) {
    return `entries were deleted (XDEL, max-deleted-entry-id ${maxDeletedId}) after the group's last-delivered id ${lastDeliveredId}`;
  }
  if (g['entries-read'] === null || g['entries-read'] === undefined) return 'the group was created at or moved to an arbitrary id (XGROUP CREATE/SETID): entries-read is unknown';
  return 'Redis cannot compute it from the stream counters (entries deleted or trimmed since the group last read)';
}

interface PelScan {
  oldest: PendingEntrySummary | null;
  maxIdleMs: number | null;
  maxDeliveries: number;
  poison: number;
  scanned: number;
}

/** The group's pending entries, page by page (XPENDING - + COUNT), for the highest delivery count, the longest idle and the poison count. */
async function scanPending(client: Redis, stream: string, group: string, pending: number, poisonDeliveries: number, now: number): Promise<PelScan> {
  const scan: PelScan = { oldest: null, maxIdleMs: null, maxDeliveries: 0, poison: 0, scanned: 0 };
  if (pending === 0) return scan;
  let start = '-';
  while (scan.scanned < PENDING_SCAN_LIMIT) {
    const page = (await client.call('XPENDING', stream, group, start, '+', Math.min(PENDING_PAGE, PENDING_SCAN_LIMIT - scan.scanned))) as Array<[string, string, number, number]>;
    if (!page.length) break;
    for (const [id, consumer, idle, count] of page) {
      const idleMs = Number(idle);
      const deliveries = Number(count);
      if (!scan.oldest) scan.oldest = { id, consumer, idleMs, ageMs: idAgeMs(id, now), deliveries };
      if (scan.maxIdleMs === null || idleMs > scan.maxIdleMs) scan.maxIdleMs = idleMs;
      if (deliveries > scan.maxDeliveries) scan.maxDeliveries = deliveries;
      if (deliveries >= poisonDeliveries) scan.poison++;
    }
    scan.scanned += page.length;
    if (page.length < PENDING_PAGE) break;
    start = `(${page[page.length - 1]![0]}`;
  }
  return scan;
}

function entryId(entry: unknown): string | null {
  return Array.isArray(entry) && entry.length ? String(entry[0]) : null;
}
