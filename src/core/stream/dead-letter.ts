import type { Deployment } from '../redis/deployment.js';
import type { Coverage } from '../redis/coverage.js';
import { GridctlError } from '../errors.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { keySlot } from '../restore/crc16-slot.js';
import { masterForKey } from './locate.js';
import { groupError, pendingPages, type PendingFilter } from './pending.js';
import type { PendingEntrySummary } from './types.js';

export interface DeadLetterRequest {
  stream: string;
  group: string;
  /** The dead-letter stream (same Cluster slot as `stream`). */
  to: string;
  minDeliveries: number;
  minIdleMs?: number;
  consumer?: string;
  limit: number;
}

export interface MovedEntry {
  id: string;
  /** The entry's id in the dead-letter stream. */
  deadLetterId: string;
  deliveries: number;
  /** The entry had been deleted from the stream: only its PEL record (and the metadata) moved. */
  missing: boolean;
}

export interface DeadLetterReport {
  stream: string;
  group: string;
  to: string;
  node: string;
  dryRun: boolean;
  minDeliveries: number;
  candidates: PendingEntrySummary[];
  moved: MovedEntry[];
  /** Candidates acknowledged by someone else between the plan and the move: left alone. */
  skipped: string[];
  coverage: Coverage;
}

/**
 * The dead-letter stream's default name: a stream with a hash tag keeps it (`stream:{x}` ->
 * `stream:{x}:dead-letter`); otherwise the name becomes the tag (`{stream:trades}:dead-letter`),
 * so on a Cluster both keys are in one slot and one script can move an entry atomically.
 */
export function defaultDeadLetterStream(stream: string): string {
  return /\{[^}]+\}/.test(stream) ? `${stream}:dead-letter` : `{${stream}}:dead-letter`;
}

/**
 * One entry, atomically: still pending for the group with enough deliveries -> its fields and
 * gridctl's metadata appended to the dead-letter stream, then XACK. An entry already acknowledged
 * (a second run, a consumer that finished it) is not moved again: nothing is lost or duplicated.
 */
const MOVE_SCRIPT = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 then return {0, ''} end
local deliveries = tonumber(p[1][4])
if deliveries < tonumber(ARGV[3]) then return {0, ''} end
local args = {'XADD', KEYS[2], '*'}
local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
local missing = 1
if #e > 0 then
  missing = 0
  for _, v in ipairs(e[1][2]) do args[#args + 1] = v end
end
for _, v in ipairs({'dead-letter:stream', KEYS[1], 'dead-letter:group', ARGV[1], 'dead-letter:id', ARGV[2], 'dead-letter:consumer', p[1][2], 'dead-letter:deliveries', tostring(deliveries)}) do args[#args + 1] = v end
if missing == 1 then args[#args + 1] = 'dead-letter:missing'; args[#args + 1] = '1' end
local newId = redis.call(unpack(args))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return {1 + missing, newId}
`;

/** The poison entries a dead-letter run would move (pending, delivered minDeliveries times or more). */
export async function planDeadLetter(dep: Deployment, req: DeadLetterRequest, now = Date.now()): Promise<Omit<DeadLetterReport, 'dryRun' | 'moved' | 'skipped'>> {
  if (dep.isCluster && keySlot(req.stream) !== keySlot(req.to)) {
    throw new GridctlError('USAGE', `dead-letter stream ${req.to} is in another Cluster slot than ${req.stream}`, {
      hint: `give both the same hash tag, e.g. --to ${defaultDeadLetterStream(req.stream)}`,
    });
  }
  const { client, address } = await masterForKey(dep, req.stream);
  const filter: PendingFilter = { minDeliveries: req.minDeliveries, ...(req.minIdleMs ? { minIdleMs: req.minIdleMs } : {}), ...(req.consumer ? { consumer: req.consumer } : {}) };
  const candidates: PendingEntrySummary[] = [];
  try {
    for await (const page of pendingPages(client, req.stream, req.group, filter, now)) {
      candidates.push(...page.slice(0, req.limit - candidates.length));
      if (candidates.length >= req.limit) break;
    }
  } catch (err) {
    throw groupError(err, req.stream, req.group) ?? classifyRedisError(err, errorContext(dep.spec, address));
  }
  return { stream: req.stream, group: req.group, to: req.to, node: address, minDeliveries: req.minDeliveries, candidates, coverage: await dep.coverage([address]) };
}

/** Move each candidate with MOVE_SCRIPT; the script decides, entry by entry, on the server. */
export async function applyDeadLetter(dep: Deployment, req: DeadLetterRequest, candidates: PendingEntrySummary[]): Promise<{ moved: MovedEntry[]; skipped: string[] }> {
  const { client, address } = await masterForKey(dep, req.stream);
  const moved: MovedEntry[] = [];
  const skipped: string[] = [];
  try {
    for (const e of candidates) {
      const [status, deadLetterId] = (await client.eval(MOVE_SCRIPT, 2, req.stream, req.to, req.group, e.id, req.minDeliveries)) as [number, string];
      if (status === 0) skipped.push(e.id);
      else moved.push({ id: e.id, deadLetterId: String(deadLetterId), deliveries: e.deliveries, missing: status === 2 });
    }
  } catch (err) {
    throw groupError(err, req.stream, req.group) ?? classifyRedisError(err, errorContext(dep.spec, address));
  }
  return { moved, skipped };
}
