import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { EXPECTED_DEPTH, plantDefects, seedBook } from '../unit/orderbook/book-fixture.js';

let dep: TestDeployment;
let raw: Redis;

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  raw = (await dep.client()) as Redis;
});
afterAll(async () => {
  raw?.disconnect();
  await dep?.stop();
});
beforeEach(async () => {
  await raw.flushall();
});

const gridctl = (args: string[]) => runCli([...args, ...dep.cliArgs]);

describe('gridctl orderbook inspect', () => {
  it('gives exact depth figures in both layouts (--layout picks one when both exist)', async () => {
    await seedBook(raw, 'orderbook');
    await seedBook(raw, 'order_book');
    for (const layout of ['orderbook', 'order_book']) {
      const r = await gridctl(['orderbook', 'inspect', '--layout', layout, '--json']);
      expect(r.exitCode).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.layout).toBe(layout);
      expect(report.bids.levels).toEqual(EXPECTED_DEPTH.bids);
      expect(report.asks.levels).toEqual(EXPECTED_DEPTH.asks);
      expect(report.summary).toEqual(EXPECTED_DEPTH.summary);
      expect(report.status).toBe('PASS');
    }
    const auto = JSON.parse((await gridctl(['orderbook', 'inspect', '--json'])).stdout);
    expect(auto.layout).toBe('order_book');
    expect(auto.notes[0]).toContain('both layouts exist');
  });

  it('prints tab-separated rows when piped', async () => {
    await seedBook(raw, 'order_book');
    const r = await gridctl(['orderbook', 'inspect', '--levels', '2']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(['summary', 'order_book', '0.15', '0.16', '0.01', '0.155', 'PASS'].join('\t'));
    expect(lines.filter((l) => l.startsWith('ask\t'))).toEqual(['ask\t0.16\t3\t1', 'ask\t0.17\t0.3\t2']);
  });

  it('finds each planted defect and exits 1', async () => {
    const keys = await seedBook(raw, 'orderbook');
    await plantDefects(raw, keys);
    await raw.persist(keys.metadata);
    const r = await gridctl(['orderbook', 'inspect', '--json']);
    expect(r.exitCode).toBe(1);
    // The order:{id} hashes were compared server-side by the Lua script (standalone, default user).
    expect(JSON.parse(r.stdout).audit.orderHashCheck).toBe('server-script');
    const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(checks).toMatchObject({
      'crossed-book': 'FAIL',
      unparsable: 'FAIL',
      'score-mismatch': 'FAIL',
      'wrong-side': 'FAIL',
      'duplicate-id': 'FAIL',
      expired: 'WARN',
      'fully-filled': 'WARN',
      'order-hash-missing': 'WARN',
      'order-hash-mismatch': 'FAIL',
      'metadata-no-ttl': 'WARN',
      'metadata-drift': 'WARN',
    });
    await raw.del(keys.metadata);
    const missing = await gridctl(['orderbook', 'inspect', '--no-audit', '--json']);
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stdout).checks.find((c: { id: string }) => c.id === 'metadata-missing').status).toBe('FAIL');
  });

  it('exits 1 with NOT_FOUND when there is no book, and --watch refuses a pipe', async () => {
    const none = await gridctl(['orderbook', 'inspect']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('no order book found');
    await seedBook(raw, 'order_book');
    const watch = await gridctl(['orderbook', 'inspect', '--watch', '1']);
    expect(watch.exitCode).toBe(3);
    expect(watch.stderr).toContain('--watch redraws a terminal');
  });

  it('snapshot --out saves the book and the audit; --dry-run writes nothing', async () => {
    await seedBook(raw, 'order_book');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-e2e-snap-'));
    const file = path.join(dir, 'book.json');
    const dry = await gridctl(['orderbook', 'snapshot', '--out', file, '--dry-run']);
    expect(dry.exitCode).toBe(0);
    await expect(readFile(file)).rejects.toThrow();
    const r = await gridctl(['orderbook', 'snapshot', '--out', file]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('5 bid + 4 ask members');
    const snap = JSON.parse(await readFile(file, 'utf8'));
    expect(snap.report.bids.levels).toEqual(EXPECTED_DEPTH.bids);
    expect(snap.buy).toHaveLength(5);
    await rm(dir, { recursive: true, force: true });
  });
});
