// Order-book benchmark: 100k orders per side (gateway layout, order:{id} hashes included), timing
// `orderbook inspect` top of book (--no-audit) and the full audit, wall clock and Redis server time
// (INFO commandstats usec deltas), next to the equivalent raw redis-cli ZRANGE work as a ratio.
// Targets (issue 6): top of book < 50 ms server time; full audit < 1.5 s wall.
// The machine running it is usually shared, so each figure is the median of `repeat` runs (default 5).
// Run alone: npm run build && node bench/orderbook.mjs [ordersPerSide] [repeat]
import { mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upLocal, downLocal } from '../dist/core/local/up.js';
import { specFromLocalState } from '../dist/core/redis/resolve.js';
import { connectMain } from '../dist/core/redis/connect.js';
import { inspectOrderbook } from '../dist/core/orderbook/inspect.js';

/**
 * Redis main-thread CPU time in µs (INFO cpu). Not INFO commandstats: commands a Lua script runs are
 * counted there twice (in EVALSHA's time and their own), and it leaves out reading and writing sockets.
 */
async function serverUsec(client) {
  const text = await client.info('cpu');
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return (field('used_cpu_sys_main_thread') + field('used_cpu_user_main_thread')) * 1e6;
}

async function measure(client, fn) {
  const before = await serverUsec(client);
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  // The INFO call that reads the counters is itself counted; it costs some 50 µs.
  const serverMs = ((await serverUsec(client)) - before) / 1000;
  return { wallMs, serverMs, result };
}

/**
 * Run `fn` `repeat` times and keep the run with the median wall time (and the median server time).
 * The first run is also kept: a CLI invocation is a fresh process, so it pays for the JIT warm-up.
 */
async function median(client, repeat, fn) {
  const runs = [];
  for (let i = 0; i < repeat; i++) runs.push(await measure(client, fn));
  const firstWallMs = runs[0].wallMs;
  runs.sort((a, b) => a.wallMs - b.wallMs);
  const mid = runs[Math.floor(runs.length / 2)];
  const serverSorted = runs.map((r) => r.serverMs).sort((a, b) => a - b);
  return { ...mid, serverMs: serverSorted[Math.floor(serverSorted.length / 2)], runs: runs.length, firstWallMs, minWallMs: runs[0].wallMs, maxWallMs: runs[runs.length - 1].wallMs };
}

const gridctlBin = fileURLToPath(new URL('../bin/gridctl.js', import.meta.url));

/** The real command, a fresh process as an operator runs it (node start-up and JIT warm-up included). */
function gridctlCli(runDir, args) {
  const r = spawnSync(process.execPath, [gridctlBin, ...args, '--run-dir', runDir, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`gridctl ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
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

export async function run({ perSide = 100_000, repeat = 5 } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bench-orderbook-'));
  const state = await upLocal({ topology: 'standalone', dir: path.join(dir, 'run'), extraConfig: ['save ""', 'appendonly no'] });
  const spec = await specFromLocalState(state, { timeoutMs: 30_000 });
  const port = state.nodes[0].port;
  const client = await connectMain(spec);
  try {
    console.log(`orderbook bench: seeding ${perSide} orders per side (+ order:{id} hashes) ...`);
    await seed(client, perSide);
    await client.config('RESETSTAT');

    const top = await median(client, repeat, () => inspectOrderbook(client, undefined, { audit: false }));
    const rawTop = await median(client, repeat, async () => {
      redisCli(port, ['ZREVRANGE', 'order_book:buy', '0', '79', 'WITHSCORES']);
      redisCli(port, ['ZRANGE', 'order_book:sell', '0', '79', 'WITHSCORES']);
      redisCli(port, ['GET', 'order_book:metadata']);
    });
    const full = await median(client, repeat, () => inspectOrderbook(client, undefined));
    const fullNoHashes = await median(client, repeat, () => inspectOrderbook(client, undefined, { checkOrderHashes: false }));
    // What a Cluster, Redis < 7 or an ACL without +evalsha/+eval gets: ZSCAN and pipelined HGETs.
    const fullPipelined = await median(client, repeat, () => inspectOrderbook(client, undefined, { orderHashCheck: 'pipelined-hget' }));
    const runDir = path.join(dir, 'run');
    const cliFull = await median(client, repeat, async () => gridctlCli(runDir, ['orderbook', 'inspect']));
    const rawFull = await median(client, repeat, async () => {
      redisCli(port, ['ZRANGE', 'order_book:buy', '0', '-1', 'WITHSCORES']);
      redisCli(port, ['ZRANGE', 'order_book:sell', '0', '-1', 'WITHSCORES']);
    });

    const row = (name, g, r, target) =>
      console.log(
        `  ${name.padEnd(52)} gridctl ${g.wallMs.toFixed(1).padStart(8)} ms wall ${g.serverMs.toFixed(1).padStart(7)} ms server | redis-cli ${r.wallMs.toFixed(1).padStart(7)} ms wall ${r.serverMs.toFixed(1).padStart(6)} ms server | ratio wall ${(g.wallMs / r.wallMs).toFixed(2)}x | gridctl first run ${g.firstWallMs.toFixed(0)} ms, range ${g.minWallMs.toFixed(0)}-${g.maxWallMs.toFixed(0)} ms${target ? ` | target ${target}` : ''}`,
      );
    console.log(`orderbook bench (${perSide} orders per side, medians of ${repeat} runs, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores, status ${full.result.status}, ${full.result.audit.scanned.buy}+${full.result.audit.scanned.sell} members audited):`);
    row('top of book (--no-audit, 10 levels)', top, rawTop, `< 50 ms server: ${top.serverMs < 50 ? 'met' : 'MISSED'}`);
    row(`full audit (order hashes: ${full.result.audit.orderHashCheck})`, full, rawFull, `< 1.5 s wall: ${full.wallMs < 1500 ? 'met' : 'MISSED'}`);
    row(`gridctl orderbook inspect (process, ${cliFull.result.audit.orderHashCheck})`, cliFull, rawFull, `< 1.5 s wall: ${cliFull.wallMs < 1500 ? 'met' : 'MISSED'}`);
    row('full audit (order hashes: pipelined-hget)', fullPipelined, rawFull, `< 1.5 s wall: ${fullPipelined.wallMs < 1500 ? 'met' : 'MISSED'}`);
    row('full audit (--no-order-hashes)', fullNoHashes, rawFull, `< 1.5 s wall: ${fullNoHashes.wallMs < 1500 ? 'met' : 'MISSED'}`);
    console.log('  in-process rows call inspectOrderbook on one connection (warm JIT); the process row runs bin/gridctl.js each time');
    console.log('  server = Redis main-thread CPU (INFO cpu), scripts included once; raw baselines: top = redis-cli ZREVRANGE/ZRANGE 0 79 + GET; full = redis-cli ZRANGE 0 -1 WITHSCORES per side (reads, no checks)');
    return { top, full, cliFull, fullPipelined, fullNoHashes, rawTop, rawFull };
  } finally {
    client.disconnect();
    await downLocal(path.join(dir, 'run'));
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const perSide = process.argv[2] ? Number(process.argv[2]) : undefined;
  const repeat = process.argv[3] ? Number(process.argv[3]) : undefined;
  await run({ ...(perSide ? { perSide } : {}), ...(repeat ? { repeat } : {}) });
}
