// Order-book benchmark: 100k orders per side (gateway layout, order:{id} hashes included), timing
// `orderbook inspect` top of book (--no-audit) and the full audit, wall clock and Redis server time
// (INFO commandstats usec deltas), next to the equivalent raw redis-cli ZRANGE work as a ratio.
// Targets (issue 6): top of book < 50 ms server time; full audit < 1.5 s wall.
// Run alone: npm run build && node bench/orderbook.mjs [ordersPerSide]
import { mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upLocal, downLocal } from '../dist/core/local/up.js';
import { specFromLocalState } from '../dist/core/redis/resolve.js';
import { connectMain } from '../dist/core/redis/connect.js';
import { inspectOrderbook } from '../dist/core/orderbook/inspect.js';

async function serverUsec(client) {
  const text = await client.info('commandstats');
  let total = 0;
  for (const m of text.matchAll(/usec=(\d+)/g)) total += Number(m[1]);
  return total;
}

async function measure(client, fn) {
  const before = await serverUsec(client);
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // The INFO call that reads the counters is itself counted; it costs a few µs.
  const serverMs = ((await serverUsec(client)) - before) / 1000;
  return { wallMs, serverMs, result };
}

function redisCli(port, args) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed`);
}

async function seed(client, perSide) {
  const now = Date.now();
  const expires = new Date(now + 86_400_000).toISOString();
  for (const [side, key, base] of [['Buy', 'order_book:buy', 0.1], ['Sell', 'order_book:sell', 0.2]]) {
    for (let from = 0; from < perSide; from += 5000) {
      const p = client.pipeline();
      for (let i = from; i < Math.min(perSide, from + 5000); i++) {
        const id = `${side[0]}-${i.toString(16).padStart(8, '0')}-4000-a000-${String(i).padStart(12, '0')}`;
        const price = (base + (i % 2000) / 100000).toFixed(5);
        const order = JSON.stringify({ id, user_id: `u-${i % 977}`, epoch_id: null, side, energy_amount: '12.5', price, filled_amount: (i % 5).toString(), created_at: '2026-11-27T10:00:00Z', expires_at: expires });
        p.zadd(key, price, order);
        p.hset(`order:${id}`, 'data', order);
        p.expire(`order:${id}`, 86_400);
      }
      await p.exec();
    }
  }
  await client.set('order_book:metadata', JSON.stringify({ best_bid: '0.11999', best_ask: '0.2', mid_price: '0.159995', spread: '0.08001', updated_at: new Date(now).toISOString() }), 'EX', 86_400);
}

export async function run({ perSide = 100_000 } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bench-orderbook-'));
  const state = await upLocal({ topology: 'standalone', dir: path.join(dir, 'run'), extraConfig: ['save ""', 'appendonly no'] });
  const spec = await specFromLocalState(state, { timeoutMs: 30_000 });
  const port = state.nodes[0].port;
  const client = await connectMain(spec);
  try {
    console.log(`orderbook bench: seeding ${perSide} orders per side (+ order:{id} hashes) ...`);
    await seed(client, perSide);
    await client.config('RESETSTAT');

    const top = await measure(client, () => inspectOrderbook(client, undefined, { audit: false }));
    const rawTop = await measure(client, async () => {
      redisCli(port, ['ZREVRANGE', 'order_book:buy', '0', '79', 'WITHSCORES']);
      redisCli(port, ['ZRANGE', 'order_book:sell', '0', '79', 'WITHSCORES']);
      redisCli(port, ['GET', 'order_book:metadata']);
    });
    const full = await measure(client, () => inspectOrderbook(client, undefined));
    const fullNoHashes = await measure(client, () => inspectOrderbook(client, undefined, { checkOrderHashes: false }));
    const rawFull = await measure(client, async () => {
      redisCli(port, ['ZRANGE', 'order_book:buy', '0', '-1', 'WITHSCORES']);
      redisCli(port, ['ZRANGE', 'order_book:sell', '0', '-1', 'WITHSCORES']);
    });

    const row = (name, g, r, target) =>
      console.log(
        `  ${name.padEnd(34)} gridctl ${g.wallMs.toFixed(1).padStart(8)} ms wall ${g.serverMs.toFixed(1).padStart(7)} ms server | redis-cli ${r.wallMs.toFixed(1).padStart(7)} ms wall ${r.serverMs.toFixed(1).padStart(6)} ms server | ratio wall ${(g.wallMs / r.wallMs).toFixed(2)}x${target ? ` | target ${target}` : ''}`,
      );
    console.log(`orderbook bench (${perSide} orders per side, status ${full.result.status}, ${full.result.audit.scanned.buy}+${full.result.audit.scanned.sell} members audited):`);
    row('top of book (--no-audit, 10 levels)', top, rawTop, `< 50 ms server: ${top.serverMs < 50 ? 'met' : 'MISSED'}`);
    row('full audit (ZSCAN + order hashes)', full, rawFull, `< 1.5 s wall: ${full.wallMs < 1500 ? 'met' : 'MISSED'}`);
    row('full audit (--no-order-hashes)', fullNoHashes, rawFull, `< 1.5 s wall: ${fullNoHashes.wallMs < 1500 ? 'met' : 'MISSED'}`);
    console.log('  raw baselines: top = redis-cli ZREVRANGE/ZRANGE 0 79 + GET; full = redis-cli ZRANGE 0 -1 WITHSCORES per side (reads, no checks)');
    return { top, full, fullNoHashes, rawTop, rawFull };
  } finally {
    client.disconnect();
    await downLocal(path.join(dir, 'run'));
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const perSide = process.argv[2] ? Number(process.argv[2]) : undefined;
  await run(perSide ? { perSide } : {});
}
