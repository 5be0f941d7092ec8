import type { Redis } from 'ioredis';
import { ScriptRunner } from './script-runner.js';
import { dumpScriptFor } from './dump-script.js';

export interface DumpPage {
  /** Encoded archive records (record-codec.ts). */
  records: Buffer;
  count: number;
}

export interface DumpNodeOptions {
  serverVersion: string;
  /** SCAN MATCH pattern (backs up a subset). */
  match?: string;
  /** Upper bound on keys per second for this node (0 / undefined = no limit). */
  maxRate?: number;
  /** How long one server-side batch may run; the page size adapts to it. */
  targetBatchMs?: number;
  onPage(page: DumpPage): Promise<void>;
  /** Stop early (Ctrl-C); checked between pages. */
  isCancelled?(): boolean;
}

const MIN_PAGE = 16;
const MAX_PAGE = 5000;
const START_PAGE = 500;
/** Scripts in flight per node: one running on the server while the client parses the previous reply. */
const PAGES_IN_FLIGHT = 2;

/**
 * Back up every key of one node: SCAN with an adaptive COUNT, and one short read-only script per
 * page (dump-script.ts). The page size is steered so each script runs about `targetBatchMs`
 * (default 5 ms): long enough to amortise the round trip, short enough that the gateway's own
 * commands never wait behind a backup for more than a few milliseconds.
 */
export async function dumpNode(client: Redis, opts: DumpNodeOptions): Promise<{ keys: number; pages: number }> {
  const script = new ScriptRunner(dumpScriptFor(opts.serverVersion));
  const target = opts.targetBatchMs ?? 5;
  let pageSize = START_PAGE;
  let cursor = '0';
  let keys = 0;
  let pages = 0;
  const started = Date.now();
  const inFlight: Array<Promise<void>> = [];
  const matchArgs = opts.match ? ['MATCH', opts.match] : [];

  const runPage = async (batch: Buffer[]): Promise<void> => {
    const t0 = process.hrtime.bigint();
    const reply = (await script.run(client, batch)) as [number, Buffer];
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // The round trip also counts queueing behind the other page in flight; halve it as an estimate of server time.
    const serverMs = Math.max(0.05, ms / PAGES_IN_FLIGHT);
    const ideal = (batch.length * target) / serverMs;
    pageSize = Math.round(Math.min(MAX_PAGE, Math.max(MIN_PAGE, pageSize * 0.5 + ideal * 0.5)));
    const count = Number(reply[0]);
    keys += count;
    pages++;
    if (count > 0) await opts.onPage({ records: reply[1], count });
  };

  do {
    if (opts.isCancelled?.()) break;
    const [next, batch] = (await client.scanBuffer(cursor, ...(matchArgs as []), 'COUNT', pageSize)) as unknown as [Buffer, Buffer[]];
    cursor = next.toString();
    if (batch.length) {
      const p = runPage(batch);
      p.catch(() => undefined);
      inFlight.push(p);
      if (inFlight.length >= PAGES_IN_FLIGHT) await inFlight.shift();
    }
    if (opts.maxRate && opts.maxRate > 0) {
      const aheadMs = (keys / opts.maxRate) * 1000 - (Date.now() - started);
      if (aheadMs > 1) await new Promise((r) => setTimeout(r, aheadMs));
    }
  } while (cursor !== '0');
  await Promise.all(inFlight);
  return { keys, pages };
}
