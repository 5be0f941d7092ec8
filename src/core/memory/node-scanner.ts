import { isPermissionError } from '../redis/errors.js';
import type { Redis } from 'ioredis';
import { GridctlError } from '../errors.js';
import { parseInfo } from '../redis/info.js';
import { AdaptiveBatch } from './adaptive-batch.js';
import { runKeyStatsPipeline } from './key-stats-pipeline.js';
import { runKeyStatsScript } from './key-stats-script.js';
import { MEMORY_ACL_PIPELINE, MEMORY_ACL_SCRIPT } from './acl.js';
import type { RateLimiter } from './rate-limiter.js';
import type { NodeReport, Technique } from './types.js';
import { identityFromInfo } from '../compat/server-identity.js';

export interface NodeScanOptions {
  match?: string;
  samples: number;
  technique: 'auto' | Technique;
  /** Target server time per batch, ms. */
  batchBudgetMs: number;
  /** --sample: analyse only keys for which this returns true. */
  sampler?: (key: Buffer) => boolean;
  limiter?: RateLimiter;
  /** Batches in flight on the connection: 2 keeps the server busy while the client parses. */
  depth?: number;
}

/** Receives each analysed batch: the keys and 4 numbers per key (type code, bytes, pttl, elements). */
export type BatchSink = (keys: Buffer[], values: Float64Array) => void;

/** What one node is, before the scan: version, policy, DBSIZE, and whether NO-TOUCH could be set. */
export async function probeNode(client: Redis, address: string, role: 'master' | 'replica'): Promise<NodeReport> {
  const report: NodeReport = { address, role, dbsize: null, scanned: 0, analysed: 0, technique: 'script', noTouch: false, batchKeys: 0 };
  try {
    const info = parseInfo(await client.info());
    if (info.redis_version) {
      const server = identityFromInfo(info);
      report.engine = server.engine;
      report.serverVersion = server.version;
    }
    if (info.maxmemory_policy) report.maxmemoryPolicy = info.maxmemory_policy;
    if (info.maxmemory !== undefined) report.maxmemory = Number(info.maxmemory);
  } catch (err) {
    if (!isPermissionError(err)) throw err;
  }
  try {
    report.dbsize = await client.dbsize();
  } catch (err) {
    if (!isPermissionError(err)) throw err;
  }
  // CLIENT NO-TOUCH (7.2+) keeps the scan from touching LRU/LFU; on 7.0 it does not exist, and a
  // user may not be allowed it: either way the analysis goes on, and the report says so.
  try {
    await client.call('CLIENT', 'NO-TOUCH', 'ON');
    report.noTouch = true;
  } catch {
    report.noTouch = false;
  }
  return report;
}

/**
 * Analyse every key of one node. A producer SCANs ahead into a small bounded queue while up to
 * `depth` analysis batches are in flight on the same connection, so the server always has the
 * next command queued and the client's parsing overlaps the server's work. Batch size adapts to
 * the time budget; --max-rate throttles through the shared limiter.
 */
export async function scanNodeKeys(
  client: Redis,
  report: NodeReport,
  opts: NodeScanOptions,
  sink: BatchSink,
  onScanned: (keys: number) => void,
): Promise<void> {
  const batch = new AdaptiveBatch(opts.batchBudgetMs);
  const depth = opts.depth ?? 2;
  let technique: Technique = opts.technique === 'pipeline' ? 'pipeline' : 'script';
  report.technique = technique;
  const queue: Buffer[] = [];
  let scanDone = false;
  let failure: unknown;
  // Producer and consumer both wait on "the queue changed"; every waiter is woken each time.
  let waiters: Array<() => void> = [];
  const notify = () => {
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };
  const waitForChange = () => new Promise<void>((resolve) => waiters.push(resolve));

  const producer = (async () => {
    let cursor = '0';
    const matchArgs = opts.match ? ['MATCH', opts.match] : [];
    try {
      do {
        // Scan ahead by a few batches: enough that a batch is always ready, bounded so memory stays flat.
        while (queue.length >= batch.keys * 4 && !failure) await waitForChange();
        if (failure) return;
        const [next, keys] = (await client.scanBuffer(cursor, ...(matchArgs as []), 'COUNT', batch.keys)) as unknown as [Buffer, Buffer[]];
        cursor = next.toString();
        report.scanned += keys.length;
        onScanned(keys.length);
        for (const k of keys) if (!opts.sampler || opts.sampler(k)) queue.push(k);
        notify();
      } while (cursor !== '0');
    } catch (err) {
      failure ??= err;
    } finally {
      scanDone = true;
      notify();
    }
  })();

  const inflight = new Set<Promise<void>>();
  let lastReplyAt = performance.now();
  const analyse = async (keys: Buffer[]) => {
    const sentAt = performance.now();
    let values: Float64Array;
    try {
      values = technique === 'script' ? await runKeyStatsScript(client, keys, opts.samples) : await runKeyStatsPipeline(client, keys, opts.samples);
    } catch (err) {
      if (technique === 'script' && opts.technique === 'auto' && scriptNotAllowed(err)) {
        // EVAL refused (ACL NOPERM, scripting disabled): fall back to plain commands for this node.
        technique = 'pipeline';
        report.technique = 'pipeline';
        report.fallbackReason = firstLine(err);
        values = await runKeyStatsPipeline(client, keys, opts.samples);
      } else {
        throw err;
      }
    }
    const now = performance.now();
    batch.observe(keys.length, now - Math.max(sentAt, lastReplyAt));
    lastReplyAt = now;
    report.analysed += keys.length;
    sink(keys, values);
  };

  try {
    // The first batch runs alone: it decides the technique before batches are pipelined. Then a
    // batch is sent when a full one is queued, or at once whenever the server would otherwise idle
    // (nothing in flight) or the scan is over: never wait for keys while the server has no work.
    let first = true;
    for (;;) {
      if (failure) break;
      const room = inflight.size < (first ? 1 : depth);
      if (room && queue.length > 0 && (queue.length >= batch.keys || inflight.size === 0 || scanDone)) {
        const keys = queue.splice(0, batch.keys);
        notify();
        if (opts.limiter) await opts.limiter.take(keys.length);
        const p: Promise<void> = analyse(keys).then(
          () => {
            inflight.delete(p);
            notify();
          },
          (err) => {
            inflight.delete(p);
            failure ??= err;
            notify();
          },
        );
        inflight.add(p);
        if (first) {
          await p;
          first = false;
        }
        continue;
      }
      if (scanDone && queue.length === 0) break;
      await waitForChange();
    }
    await Promise.all(inflight);
  } catch (err) {
    failure ??= err;
    notify();
  }
  await producer;
  report.batchKeys = batch.keys;
  if (failure) throw explainNoPerm(failure, report.address, technique);
}


function scriptNotAllowed(err: unknown): boolean {
  // NOPERM on eval/evalsha or on a command inside the script, or EVAL renamed away: try plain
  // commands; if those are refused too, that NOPERM (naming the missing command) is reported.
  const msg = String((err as Error)?.message);
  return isPermissionError(err) || /unknown command [`'](eval|evalsha)/i.test(msg);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!;
}

/** NOPERM anywhere becomes exit 4 with both ACL strings in the hint; other errors pass through. */
function explainNoPerm(err: unknown, address: string, technique: Technique): unknown {
  if (!isPermissionError(err)) return err;
  return new GridctlError('PERMISSION_DENIED', `permission denied at ${address} (${technique} technique): ${firstLine(err).replace(/^(ERR\s+)?NOPERM\s*/, '')}`, {
    hint: `gridctl memory needs a read-only user such as: ACL SETUSER <user> on ><password> ${MEMORY_ACL_SCRIPT}  (without +eval +evalsha it falls back to plain pipelined commands: ${MEMORY_ACL_PIPELINE})`,
    cause: err,
  });
}
