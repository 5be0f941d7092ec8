import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import type { AnyRedis } from '../../src/core/redis/connect.js';
import { inspectOrderbook } from '../../src/core/orderbook/inspect.js';
import { snapshotOrderbook } from '../../src/core/orderbook/snapshot.js';
import { readPageWithOrderHashes } from '../../src/core/orderbook/order-hash-script.js';
import { auditMembers } from '../../src/core/orderbook/audit.js';
import { FindingCollector } from '../../src/core/orderbook/checks.js';
import { connectMain } from '../../src/core/redis/connect.js';
import { addOrder, EXPECTED_DEPTH, order, plantDefects, seedBook } from '../unit/orderbook/book-fixture.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

let dep: TestDeployment;
let client: AnyRedis;

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  client = await dep.client();
});
afterAll(async () => {
  client?.disconnect();
  await dep?.stop();
});
beforeEach(async () => {
  await client.flushall();
});

const statusOf = (r: Awaited<ReturnType<typeof inspectOrderbook>>) => Object.fromEntries(r.checks.map((c) => [c.id, { status: c.status, count: c.count }]));

describe('orderbook inspect against a real redis-server', () => {
  for (const layout of ['orderbook', 'order_book'] as const) {
    it(`gives exact depth, best prices, spread and mid for the ${layout} layout (auto-detected) and passes a clean book`, async () => {
      await seedBook(client, layout);
      const r = await inspectOrderbook(client, undefined);
      expect(r.layout).toBe(layout);
      expect(r.bids.levels).toEqual(EXPECTED_DEPTH.bids);
      expect(r.asks.levels).toEqual(EXPECTED_DEPTH.asks);
      expect(r.summary).toEqual(EXPECTED_DEPTH.summary);
      expect(r.metadata).toMatchObject({ present: true, type: layout === 'orderbook' ? 'hash' : 'string', drift: [] });
      expect(r.metadata.ttlMs).toBeGreaterThan(86_000_000);
      expect(r.audit?.scanned).toEqual({ buy: 5, sell: 4, orderHashesChecked: 9 });
      expect(r.status).toBe('PASS');
      expect(r.checks.every((c) => c.status === 'PASS')).toBe(true);
    });
  }

  it('limits the ladder to --levels', async () => {
    await seedBook(client, 'order_book');
    const r = await inspectOrderbook(client, undefined, { levels: 2 });
    expect(r.bids.levels).toEqual(EXPECTED_DEPTH.bids.slice(0, 2));
    expect(r.asks.levels).toEqual(EXPECTED_DEPTH.asks.slice(0, 2));
  });

  it('finds each planted defect', async () => {
    const keys = await seedBook(client, 'order_book');
    await plantDefects(client, keys);
    const r = await inspectOrderbook(client, undefined);
    const s = statusOf(r);
    expect(s['unparsable']).toEqual({ status: 'FAIL', count: 1 });
    expect(s['score-mismatch']).toEqual({ status: 'FAIL', count: 1 });
    expect(s['wrong-side']).toEqual({ status: 'FAIL', count: 1 });
    expect(s['expired']).toEqual({ status: 'WARN', count: 1 });
    expect(s['fully-filled']).toEqual({ status: 'WARN', count: 1 });
    expect(s['duplicate-id']).toEqual({ status: 'FAIL', count: 1 });
    expect(s['order-hash-missing']).toEqual({ status: 'WARN', count: 1 });
    // d-disagree differs in filled_amount; and the two d-dup members share one hash, so one of them disagrees too.
    expect(s['order-hash-mismatch']!.status).toBe('FAIL');
    expect(r.checks.find((c) => c.id === 'order-hash-mismatch')!.samples.join(' ')).toContain('order:d-disagree: filled_amount 0.75 != 0');
    expect(s['crossed-book']).toEqual({ status: 'FAIL', count: 1 });
    expect(r.summary.crossed).toBe(true);
    expect(r.checks.find((c) => c.id === 'unparsable')!.samples[0]).toContain('not json {');
    expect(r.status).toBe('FAIL');
    // Standalone, default user: the hashes were compared by the Lua script, not one HGET per order.
    expect(r.audit?.orderHashCheck).toBe('server-script');
  });

  /** Defects only the order-hash comparison sees, in member shapes the script's id shortcut does not cover. */
  async function plantHashEdgeCases(keys: { buy: string; sell: string }): Promise<void> {
    // Keys in another order: the script reads the id with cjson. Its hash disagrees on energy_amount.
    const reordered = order('e-reordered', 'Buy', '0.121', '2');
    const { id, ...rest } = reordered;
    await client.zadd(keys.buy, '0.121', JSON.stringify({ ...rest, id }));
    await client.hset('order:e-reordered', 'data', JSON.stringify({ ...reordered, energy_amount: '3' }));
    // An id with an escaped quote: the script's pattern stops at the backslash, cjson reads it.
    await addOrder(client, keys.buy, order('e-"quoted"', 'Buy', '0.122', '1'));
    await client.del('order:e-"quoted"');
    // Two "id" keys: the script looks up the first (whose hash holds this very text, so it would say
    // "same"); JSON.parse keeps the last, whose hash is missing. The client must check that one itself.
    const twoIds = JSON.stringify(order('e-first', 'Sell', '0.34', '1')).replace(/}$/, ',"id":"e-last"}');
    await client.zadd(keys.sell, '0.34', twoIds);
    await client.hset('order:e-first', 'data', twoIds);
  }

  it('finds the same order-hash defects with the Lua script and with pipelined HGETs', async () => {
    const keys = await seedBook(client, 'order_book');
    await plantDefects(client, keys);
    await plantHashEdgeCases(keys);
    const viaScript = await inspectOrderbook(client, undefined);
    const viaPipeline = await inspectOrderbook(client, undefined, { orderHashCheck: 'pipelined-hget' });
    expect(viaScript.audit?.orderHashCheck).toBe('server-script');
    expect(viaPipeline.audit?.orderHashCheck).toBe('pipelined-hget');
    const norm = (r: typeof viaScript) => r.checks.map((c) => ({ ...c, samples: [...c.samples].sort() }));
    expect(norm(viaScript)).toEqual(norm(viaPipeline));
    expect(viaScript.audit?.scanned).toEqual(viaPipeline.audit?.scanned);
    const s = statusOf(viaScript);
    // d-nohash, e-"quoted", e-last.
    expect(s['order-hash-missing']).toEqual({ status: 'WARN', count: 3 });
    const missing = viaScript.checks.find((c) => c.id === 'order-hash-missing')!.samples;
    expect(missing).toEqual(expect.arrayContaining(['order:d-nohash', 'order:e-"quoted"', 'order:e-last']));
    const mismatch = viaScript.checks.find((c) => c.id === 'order-hash-mismatch')!.samples.join(' ');
    expect(mismatch).toContain('order:d-disagree: filled_amount 0.75 != 0');
    expect(mismatch).toContain('order:e-reordered: energy_amount 3 != 2');
  });

  it('audits a book of many pages exactly (script pages sized by time, ZSCAN pages for the pipelined path)', async () => {
    const keys = await seedBook(client, 'order_book');
    const perSide = 700;
    const p = client.pipeline();
    for (let i = 0; i < perSide; i++) {
      // Many orders per price level, so pages end inside a level.
      const b = order(`pb-${i}`, 'Buy', (0.05 + (i % 7) / 1000).toFixed(3), '1', i % 100 === 0 ? '1' : '0');
      const a = order(`pa-${i}`, 'Sell', (0.4 + (i % 7) / 1000).toFixed(3), '2');
      p.zadd(keys.buy, b.price, JSON.stringify(b)).hset(`order:${b.id}`, 'data', JSON.stringify(b));
      p.zadd(keys.sell, a.price, JSON.stringify(a));
      // Every 50th ask has no hash.
      if (i % 50) p.hset(`order:${a.id}`, 'data', JSON.stringify(a));
    }
    await p.exec();
    for (const mode of ['auto', 'pipelined-hget'] as const) {
      const r = await inspectOrderbook(client, undefined, { orderHashCheck: mode });
      expect(r.audit?.scanned).toEqual({ buy: 5 + perSide, sell: 4 + perSide, orderHashesChecked: 9 + 2 * perSide });
      expect(statusOf(r)['fully-filled']).toEqual({ status: 'WARN', count: perSide / 100 });
      expect(statusOf(r)['order-hash-missing']).toEqual({ status: 'WARN', count: perSide / 50 });
      expect(statusOf(r)['duplicate-id']).toEqual({ status: 'PASS', count: 0 });
    }
  });

  it('script pages continue after their last member, and restart at its price level if it was removed', async () => {
    const key = 'order_book:buy';
    for (let i = 0; i < 6; i++) await addOrder(client, key, order(`lvl-${i}`, 'Buy', '0.2', '1'));
    await addOrder(client, key, order('low', 'Buy', '0.1', '1'));
    await addOrder(client, key, order('high', 'Buy', '0.3', '1'));
    const ids = (flat: string[]) => flat.filter((_, i) => i % 2 === 0).map((m) => JSON.parse(m).id as string);
    const first = await readPageWithOrderHashes(client as never, key, undefined, 3, 'order:');
    expect(ids(first.flat)).toEqual(['low', 'lvl-0', 'lvl-1']);
    expect(first).toMatchObject({ last: false, restarted: false });
    expect(first.missing.size + first.mismatched.size + first.unchecked.size).toBe(0);
    const anchor = { member: first.flat[4]!, score: first.flat[5]! };
    const next = await readPageWithOrderHashes(client as never, key, anchor, 3, 'order:');
    expect(ids(next.flat)).toEqual(['lvl-2', 'lvl-3', 'lvl-4']);
    // The anchor (lvl-1) is matched away between two pages: restart at the first 0.2 order.
    await client.zrem(key, anchor.member);
    const again = await readPageWithOrderHashes(client as never, key, anchor, 3, 'order:');
    expect(again.restarted).toBe(true);
    expect(ids(again.flat)).toEqual(['lvl-0', 'lvl-2', 'lvl-3']);
    const tail = await readPageWithOrderHashes(client as never, key, { member: next.flat[4]!, score: next.flat[5]! }, 3, 'order:');
    expect(ids(tail.flat)).toEqual(['lvl-5', 'high']);
    expect(tail.last).toBe(true);
  });

  it('runs the script with exactly the documented ACL, and falls back to pipelined HGETs (with a note) without +evalsha/+eval', async () => {
    const keys = await seedBook(client, 'order_book');
    await plantDefects(client, keys);
    const base = '+ping +exists +type +pttl +zcard +zrange +zrevrange +zscan +get +hgetall +hget ~orderbook:* ~order_book:* ~order:*';
    await client.call('ACL', 'SETUSER', 'ob-script', 'reset', 'on', '>ob-pass', ...`${base} +evalsha +eval +zrank +zcount +time`.split(' '));
    await client.call('ACL', 'SETUSER', 'ob-plain', 'reset', 'on', '>ob-pass', ...base.split(' '));
    const reports = [];
    for (const username of ['ob-script', 'ob-plain']) {
      const user = await connectMain({ ...dep.spec, auth: { username, password: 'ob-pass' } });
      try {
        reports.push(await inspectOrderbook(user, undefined));
      } finally {
        user.disconnect();
      }
    }
    const [scripted, plain] = reports as [Awaited<ReturnType<typeof inspectOrderbook>>, Awaited<ReturnType<typeof inspectOrderbook>>];
    expect(scripted.audit?.orderHashCheck).toBe('server-script');
    expect(scripted.notes).toEqual([]);
    expect(plain.audit?.orderHashCheck).toBe('pipelined-hget');
    expect(plain.notes.join(' ')).toMatch(/pipelined HGETs \(the Lua script was refused: NOPERM/);
    const norm = (r: typeof scripted) => r.checks.map((c) => ({ ...c, samples: [...c.samples].sort() }));
    expect(norm(scripted)).toEqual(norm(plain));
    expect(statusOf(scripted)['order-hash-missing']).toEqual({ status: 'WARN', count: 1 });

    // EVAL allowed but not everything the script runs on later pages (ZRANK, ZCOUNT): the first call
    // must already be refused, so a multi-page audit falls back instead of failing half-way.
    await client.call('ACL', 'SETUSER', 'ob-partial', 'reset', 'on', '>ob-pass', ...`${base} +evalsha +eval +time`.split(' '));
    const partial = await connectMain({ ...dep.spec, auth: { username: 'ob-partial', password: 'ob-pass' } });
    try {
      const findings = new FindingCollector();
      const r = await auditMembers(partial, { layout: 'order_book', ...keys, orderKeyPrefix: 'order:' }, findings, { scanCount: 2 });
      expect(r.orderHashCheck).toBe('pipelined-hget');
      expect(r.fallbackReason).toMatch(/can't run this command/);
      expect(r.stats).toEqual(scripted.audit?.scanned);
    } finally {
      partial.disconnect();
    }
  });

  it('reports metadata missing, without TTL, and drifting from the book', async () => {
    const keys = await seedBook(client, 'orderbook', { metadata: { best_bid: '0.14', best_ask: '0.16', mid_price: '0.15', spread: '0.02', updated_at: '2026-01-01T00:00:00Z' } });
    await client.persist(keys.metadata);
    let r = await inspectOrderbook(client, undefined, { audit: false });
    expect(statusOf(r)['metadata-no-ttl']).toEqual({ status: 'WARN', count: 1 });
    expect(r.metadata.drift.map((d) => d.field)).toEqual(['best_bid', 'mid_price', 'spread']);
    expect(r.metadata.ageMs).toBeGreaterThan(0);
    expect(r.audit).toBeUndefined();
    await client.del(keys.metadata);
    r = await inspectOrderbook(client, undefined, { audit: false });
    expect(statusOf(r)['metadata-missing']).toEqual({ status: 'FAIL', count: 1 });
  });

  it('says so when there is no order book at all', async () => {
    await expect(inspectOrderbook(client, undefined)).rejects.toMatchObject({ code: 'NOT_FOUND', exitCode: 1 });
  });

  it('honours configured key names', async () => {
    await seedBook(client, 'orderbook');
    await client.rename('orderbook:buy', 'book:bids');
    const r = await inspectOrderbook(client, { layout: 'orderbook', keys: { buy: 'book:bids' } });
    expect(r.keys.buy).toBe('book:bids');
    expect(r.bids.levels).toEqual(EXPECTED_DEPTH.bids);
  });

  it('snapshot writes the raw book, metadata and audit to one file', async () => {
    await seedBook(client, 'order_book');
    const report = await inspectOrderbook(client, undefined);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-snap-'));
    const file = path.join(dir, 'book.json');
    const summary = await snapshotOrderbook(client, report, { file, target: 'test', pageSize: 2 });
    expect(summary).toMatchObject({ buy: 5, sell: 4, status: 'PASS', dryRun: false });
    const snap = JSON.parse(await readFile(file, 'utf8'));
    expect(snap.buy).toHaveLength(5);
    expect(snap.sell.map((m: { member: string }) => JSON.parse(m.member).id).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(JSON.parse(snap.metadata.raw).best_bid).toBe('0.15');
    expect(snap.report.summary.mid).toBe('0.155');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('orderbook inspect on a Cluster', () => {
  let cluster: TestDeployment;
  let cc: AnyRedis;
  beforeAll(async () => {
    cluster = await startDeployment({ topology: 'cluster' });
    cc = await cluster.client();
  }, 60_000);
  afterAll(async () => {
    cc?.disconnect();
    await cluster?.stop();
  });

  it('compares order hashes with HGETs to their own nodes (the script cannot reach other slots) and finds the defects', async () => {
    const keys = await seedBook(cc, 'order_book');
    await plantDefects(cc, keys);
    const r = await inspectOrderbook(cc, undefined);
    expect(r.audit?.orderHashCheck).toBe('pipelined-hget');
    expect(r.notes).toEqual([]);
    expect(r.bids.levels[0]).toEqual({ price: '0.5', quantity: '1', orders: 1 });
    const s = statusOf(r);
    expect(s['order-hash-missing']).toEqual({ status: 'WARN', count: 1 });
    expect(s['order-hash-mismatch']!.status).toBe('FAIL');
    expect(s['duplicate-id']).toEqual({ status: 'FAIL', count: 1 });
    expect(r.audit?.scanned).toEqual({ buy: 10, sell: 9, orderHashesChecked: 18 });
  });
});
