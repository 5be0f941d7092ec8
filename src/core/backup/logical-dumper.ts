import type { Redis } from 'ioredis';
import { ScriptRunner } from './script-runner.js';
import { dumpScriptFor } from './dump-script.js';
import { pageRecords, type PageRecords } from './record-codec.js';

/** One page: its archive records (record-codec.ts), to be encoded into the writer's frame, with each record's key and type code. */
export type DumpPage = PageRecords;

/** The dump script's reply: count, server µs, next cursor, then the records in groups (dump-script.ts). */
type DumpReply = [number, number, Buffer, ...unknown[]];

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
const MAX_PAGE = 10000;
const START_PAGE = 500;

/**
 * Back up every key of one node: one short read-only script per page (dump-script.ts) that scans
 * with an adaptive COUNT and dumps what it found. The page size is steered so each script runs about `targetBatchMs`
 * (default 5 ms): long enough to amortise the round trip, short enough that the gateway's own
 * commands never wait behind a backup for more than a few milliseconds.
 */
export async function dumpNode(client: Redis, opts: DumpNodeOptions): Promise<{ keys: number; pages: number }> {
  const script = new ScriptRunner(dumpScriptFor(opts.serverVersion));
  const target = opts.targetBatchMs ?? 5;
  let pageSize = START_PAGE;
  let keys = 0;
  let pages = 0;
  const started = Date.now();
  const request = (cursor: string) => {
    const p = script.run(client, opts.match ? [cursor, pageSize, opts.match] : [cursor, pageSize]) as Promise<DumpReply>;
    p.catch(() => undefined);
    return p;
  };

  let next: Promise<DumpReply> | undefined = request('0');
  while (next) {
    let reply: DumpReply | undefined = await next;
    const cursor: string = reply[2].toString();
    // The script reports its own server time, so queueing and client delays do not skew the page size.
    const serverMs = Math.max(0.05, Number(reply[1]) / 1000);
    const scanned = Math.max(1, Number(reply[0]));
    const ideal = (pageSize * target) / serverMs;
    pageSize = Math.round(Math.min(MAX_PAGE, Math.max(MIN_PAGE, pageSize * 0.5 + ideal * 0.5)));
    if (opts.maxRate && opts.maxRate > 0) {
      const aheadMs = ((keys + scanned) / opts.maxRate) * 1000 - (Date.now() - started);
      if (aheadMs > 1) await new Promise((r) => setTimeout(r, aheadMs));
    }
    // Ask for the next page first, then process this one while the server works.
    next = cursor !== '0' && !opts.isCancelled?.() ? request(cursor) : undefined;
    const count = Number(reply[0]);
    keys += count;
    pages++;
    if (count > 0) {
      const page = pageRecords(reply, 3);
      reply = undefined;
      await opts.onPage(page);
    }
  }
  return { keys, pages };
}
