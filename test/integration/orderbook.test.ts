import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import type { AnyRedis } from '../../src/core/redis/connect.js';
import { inspectOrderbook } from '../../src/core/orderbook/inspect.js';
import { snapshotOrderbook } from '../../src/core/orderbook/snapshot.js';
import { EXPECTED_DEPTH, plantDefects, seedBook } from '../unit/orderbook/book-fixture.js';
import { mkdtemp, readFile } from 'node:fs/promises';
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
  });
});
