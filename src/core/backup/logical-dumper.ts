import { GridctlError } from '../errors.js';
import { openRawConnection, type RawConnection } from '../redis/raw-connection.js';
import type { Endpoint } from '../redis/endpoint.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { INCOMPLETE, type SocketBytes } from '../redis/socket-bytes.js';
import { PageBuilder, type PageRecords } from './page-builder.js';

/** One SCAN page's records (page-builder.ts), to be encoded into the writer's frame. */
export type DumpPage = PageRecords;

export interface DumpNodeOptions {
  serverVersion: string;
  /** SCAN MATCH pattern (backs up a subset). */
  match?: string;
  /** Upper bound on keys per second for this node (0 / undefined = no limit). */
  maxRate?: number;
  /** About how much server time one SCAN page's commands take; the page size adapts to it. */
  targetBatchMs?: number;
  /** Called once per page, in order; the page's memory is reused once the returned promise settles. */
  onPage(page: DumpPage): Promise<void>;
  /** Stop early (Ctrl-C); checked between pages. */
  isCancelled?(): boolean;
}

/**
 * The two connections one node's dump runs on: SCAN on one, the per-key commands on the other
 * (dumpNode says why). Both speak RESP directly (raw-connection.ts).
 */
export interface DumpConnections {
  scan: RawConnection;
  dump: RawConnection;
}

/** Replies read ahead of the parser on the dump connection: the pages in flight are a few hundred KB; more only costs memory. */
const DUMP_READ_AHEAD_BYTES = 1 << 20;

/** Open a node's dump connections (authenticated, database selected, READONLY for a Cluster replica). */
export async function openDumpConnections(spec: ConnectionSpec, node: Endpoint, opts: { readOnly?: boolean; name?: string } = {}): Promise<DumpConnections> {
  const [scan, dump] = await Promise.allSettled([openRawConnection(spec, node, opts), openRawConnection(spec, node, { ...opts, highWater: DUMP_READ_AHEAD_BYTES })]);
  if (scan.status === 'fulfilled' && dump.status === 'fulfilled') return { scan: scan.value, dump: dump.value };
  if (scan.status === 'fulfilled') scan.value.close();
  if (dump.status === 'fulfilled') dump.value.close();
  throw (scan.status === 'rejected' ? scan.reason : (dump as PromiseRejectedResult).reason) as Error;
}

export function closeDumpConnections(c: DumpConnections): void {
  c.scan.close();
  c.dump.close();
}

/**
 * About how much of Redis' time one page's pipelined commands take. Short pages cost Redis less
 * per key, as long as enough of them stay queued (PAGES_IN_FLIGHT) that Redis never waits for the
 * client; shorter pages leave it idle between them however many are queued (bench/README.md).
 */
const DEFAULT_TARGET_BATCH_MS = 1.5;
/**
 * Pages whose commands are queued at Redis ahead of the one being read: a pause of the client (GC, frame compression) does not leave Redis idle. This is
 * pipeline depth, not a pause for other clients: Redis reads a pipelining client 16 KB at a time
 * and serves its other clients in between.
 */
const PAGES_IN_FLIGHT = 4;
const MIN_PAGE = 16;
const MAX_PAGE = 10000;
const START_PAGE = 200;

/** A SCAN reply: the next cursor and the keys, copied out of the socket bytes back to back. */
interface ScanPage {
  cursor: string;
  count: number;
  keys: Buffer;
  /** Key i is keys[offsets[i], offsets[i + 1]). */
  offsets: Int32Array;
}

/**
 * Back up every key of one node by pipelining plain commands and parsing the replies straight from
 * the socket bytes: SCAN, then PEXPIRETIME + DUMP for each key it returned (Redis < 7: PTTL).
 * Not a client library (its per-command CPU would make the client the bottleneck) nor a Lua script
 * per page (it costs Redis more per key than the same commands pipelined; bench/README.md).
 *
 * SCAN runs on a connection of its own, one page ahead: each SCAN needs the cursor the previous one
 * returned, and on the connection that carries the per-key commands its reply would wait behind
 * every page queued there, which would allow only one page queued ahead. On its own connection
 * Redis answers it at once (it serves its clients in turn), so PAGES_IN_FLIGHT short pages stay
 * queued on the other: Redis is kept busy with pages short enough to be cheap for it.
 * No single batch holds the server for more than a fraction of a millisecond (a single huge key's
 * DUMP aside). The ACL needs +scan +dump +pexpiretime (or +pttl), nothing that runs code.
 *
 * Keys deleted between SCAN and DUMP have no DUMP and are left out; a key that appears between its
 * PEXPIRETIME and its DUMP is kept without an expiry.
 */
export async function dumpNode(conns: DumpConnections, opts: DumpNodeOptions): Promise<{ keys: number; pages: number }> {
  const input = conns.dump.input;
  const legacy = Number(opts.serverVersion.split('.')[0]) < 7;
  const target = opts.targetBatchMs ?? DEFAULT_TARGET_BATCH_MS;
  const builder = new PageBuilder();
  let pageSize = START_PAGE;
  let keys = 0;
  let requested = 0;
  let pages = 0;
  const started = Date.now();
  /** When the previous page's records were in: pages complete at Redis' pace, which sizes the next SCAN. */
  let lastPageAt = started;
  /** Pages whose per-key commands went out, oldest first, with (legacy servers) when, to make PTTLs absolute. */
  const inFlight: Array<{ page: ScanPage; sentAt: number }> = [];

  /**
   * A SCAN's round trip on its own connection (the network, and waiting for Redis' turn), smoothed.
   * Each SCAN needs the cursor the one before returned, so pages arrive at most one per round trip:
   * a page must hold at least a round trip's worth of Redis' work, or Redis idles. On a LAN that is
   * below `target`; over a slow link pages grow to it (pageMs).
   */
  let scanRttMs = 0;
  const pageMs = () => Math.max(target, scanRttMs * 1.2);
  const requestScan = (cursor: string): Promise<ScanPage> => {
    const sentAt = performance.now();
    conns.scan.socket.write(scanCommand(cursor, pageSize, opts.match));
    const reply = readScan(conns.scan.input);
    // Awaited later; a failure meanwhile (the server went away) surfaces there, or through the dump connection.
    reply.then(() => void (scanRttMs = scanRttMs * 0.8 + (performance.now() - sentAt) * 0.2), () => undefined);
    return reply;
  };
  const sendPage = async (page: ScanPage) => {
    if (opts.maxRate && opts.maxRate > 0) {
      const aheadMs = ((requested + page.count) / opts.maxRate) * 1000 - (Date.now() - started);
      if (aheadMs > 1) await new Promise((r) => setTimeout(r, aheadMs));
    }
    conns.dump.socket.write(perKeyCommands(page, legacy));
    requested += page.count;
    inFlight.push({ page, sentAt: Date.now() });
  };

  let nextScan: Promise<ScanPage> | undefined = requestScan('0');
  for (;;) {
    while (nextScan && inFlight.length < PAGES_IN_FLIGHT) {
      const page: ScanPage = await nextScan;
      // The next SCAN goes out at once, so its reply is in by the time its page is wanted.
      nextScan = page.cursor !== '0' && !opts.isCancelled?.() ? requestScan(page.cursor) : undefined;
      if (page.count > 0) await sendPage(page);
    }
    const oldest = inFlight.shift();
    if (!oldest) break;
    const current = oldest.page;
    const page = await readRecords(input, current, legacy ? oldest.sentAt : undefined, builder);
    keys += page.count;
    pages++;
    const now = Date.now();
    // Size the next page to about pageMs() of Redis' time, from the pace pages completed at. When
    // the round trip held them back, that pace is the page size per round trip, and pages grow.
    const perMs = current.count / Math.max(0.25, now - lastPageAt);
    lastPageAt = now;
    pageSize = Math.round(Math.min(MAX_PAGE, Math.max(MIN_PAGE, pageSize * 0.5 + perMs * pageMs() * 0.5)));
    if (page.count > 0) await opts.onPage(page);
  }
  return { keys, pages };
}

function scanCommand(cursor: string, count: number, match: string | undefined): Buffer {
  const args = match ? ['SCAN', cursor, 'COUNT', String(count), 'MATCH', match] : ['SCAN', cursor, 'COUNT', String(count)];
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return Buffer.from(s);
}

const EXPIRETIME_HEAD = Buffer.from('*2\r\n$11\r\nPEXPIRETIME\r\n$', 'latin1');
const PTTL_HEAD = Buffer.from('*2\r\n$4\r\nPTTL\r\n$', 'latin1');
const DUMP_HEAD = Buffer.from('*2\r\n$4\r\nDUMP\r\n$', 'latin1');

/** PEXPIRETIME key, DUMP key for every key of the page, as one buffer. */
function perKeyCommands(page: ScanPage, legacy: boolean): Buffer {
  const expiryHead = legacy ? PTTL_HEAD : EXPIRETIME_HEAD;
  const perKeyOverhead = expiryHead.length + DUMP_HEAD.length + 2 * (10 + 4);
  const out = Buffer.allocUnsafe(page.keys.length * 2 + page.count * perKeyOverhead);
  const keys = page.keys;
  let o = 0;
  for (let i = 0; i < page.count; i++) {
    const s = page.offsets[i]!;
    const e = page.offsets[i + 1]!;
    for (let c = 0; c < 2; c++) {
      o += (c === 0 ? expiryHead : DUMP_HEAD).copy(out, o);
      o = writeDecimal(out, o, e - s);
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      o += keys.copy(out, o, s, e);
      out[o++] = 0x0d;
      out[o++] = 0x0a;
    }
  }
  return out.subarray(0, o);
}

/** Write n (>= 0) in decimal at o; returns the end. Cheaper than a string per key. */
function writeDecimal(out: Buffer, o: number, n: number): number {
  if (n < 10) {
    out[o] = 0x30 + n;
    return o + 1;
  }
  let digits = 0;
  for (let x = n; x > 0; x = Math.floor(x / 10)) digits++;
  for (let p = o + digits - 1, x = n; p >= o; p--, x = Math.floor(x / 10)) out[p] = 0x30 + (x % 10);
  return o + digits;
}

/** Parse one SCAN reply, waiting for more bytes until it is complete. */
async function readScan(input: SocketBytes): Promise<ScanPage> {
  for (;;) {
    const start = input.pos;
    const page = tryScan(input);
    if (page) return page;
    input.pos = start;
    if (!(await input.more())) throw new Error('connection closed by the server during SCAN');
  }
}

function tryScan(input: SocketBytes): ScanPage | undefined {
  if (input.tryArrayHeader() === INCOMPLETE) return undefined;
  const curLen = input.tryBulkHeader();
  if (curLen === INCOMPLETE || input.available < curLen + 2) return undefined;
  const cursor = input.buf.toString('latin1', input.pos, input.pos + curLen);
  input.pos += curLen + 2;
  const n = input.tryArrayHeader();
  if (n === INCOMPLETE) return undefined;
  if (n < 0) throw new Error('protocol error: SCAN returned a nil key list');
  const starts = new Int32Array(n);
  const lens = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = input.tryBulkHeader();
    if (len === INCOMPLETE || input.available < len + 2) return undefined;
    starts[i] = input.pos;
    lens[i] = len;
    total += len;
    input.pos += len + 2;
  }
  const keys = Buffer.allocUnsafe(total);
  const offsets = new Int32Array(n + 1);
  let o = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = o;
    o += input.buf.copy(keys, o, starts[i]!, starts[i]! + lens[i]!);
  }
  offsets[n] = o;
  return { cursor, count: n, keys, offsets };
}

/**
 * The page's replies, two per key (expiry, then DUMP), parsed into archive records. `pttlBase`
 * (legacy servers) turns relative PTTLs into absolute expiries.
 */
async function readRecords(input: SocketBytes, page: ScanPage, pttlBase: number | undefined, builder: PageBuilder): Promise<PageRecords> {
  builder.reset(page.count);
  for (let i = 0; i < page.count; i++) {
    let expiry = input.tryInteger();
    while (expiry === INCOMPLETE) {
      if (!(await input.more())) throw closedMidPage();
      expiry = input.tryInteger();
    }
    let len = input.tryBulkHeader();
    while (len === INCOMPLETE) {
      if (!(await input.more())) throw closedMidPage();
      len = input.tryBulkHeader();
    }
    if (len < 0) continue; // deleted since SCAN
    if (input.available < len + 2) await input.need(len + 2);
    // -2 = the key did not exist when asked for its expiry but did when dumped: no expiry known.
    const expireAt = expiry < 0 ? -1 : pttlBase !== undefined ? pttlBase + expiry : expiry;
    builder.add(page.keys, page.offsets[i]!, page.offsets[i + 1]!, expireAt, input.buf, input.pos, len);
    input.pos += len + 2;
  }
  return builder.page();
}

function closedMidPage(): GridctlError {
  return new GridctlError('UNREACHABLE', 'the server closed the connection in the middle of a backup page; no archive was kept');
}
