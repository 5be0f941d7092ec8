// Offline analysis benchmark (issue 22): on the gateway dataset's RDB (default 1M keys, ~305 MB),
// `gridctl memory --from` next to redis-check-rdb reading the same file (a C program that reads every
// byte: the floor) as a ratio, with parse MB/s and peak RSS; `gridctl backup diff` of two backups next
// to analysing one; and the estimate against MEMORY USAGE SAMPLES 0 per namespace (% error).
// Targets: >= 150 MB/s, <= 2x redis-check-rdb, peak RSS < 150 MB, diff < 2x one analysis, <= 10% per namespace.
// Run alone: npm run build && node bench/offline.mjs [--keys N]   (or GRIDCTL_BENCH_KEYS=100000 for a quick run)
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upLocal, downLocal } from '../dist/core/local/up.js';
import { specFromLocalState } from '../dist/core/redis/resolve.js';
import { connectMain } from '../dist/core/redis/connect.js';
import { seedGatewayDataset } from './gateway-dataset.mjs';
import { timed } from './measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin', 'gridctl.js');

function keyCount(argv) {
  const i = argv.indexOf('--keys');
  const keys = i >= 0 ? Number(argv[i + 1]) : Number(process.env.GRIDCTL_BENCH_KEYS ?? 1_000_000);
  if (!Number.isInteger(keys) || keys <= 0) throw new Error('--keys N (or GRIDCTL_BENCH_KEYS) expects a positive integer');
  return keys;
}


async function mustRun(label, cmd, args) {
  const r = await timed(cmd, args);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${label} failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return r;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;

/** Save the server's RDB and copy it to `to`. */
async function saveTo(client, to) {
  await client.save();
  const [, dir] = await client.config('GET', 'dir');
  const [, name] = await client.config('GET', 'dbfilename');
  await copyFile(path.join(dir, name), to);
  return (await stat(to)).size;
}

export async function run(argv = process.argv.slice(2)) {
  const keys = keyCount(argv);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bench-offline-'));
  const runDir = path.join(dir, 'run');
  const state = await upLocal({ topology: 'standalone', dir: runDir, extraConfig: ['save ""', 'appendonly no'] });
  try {
    const client = await connectMain(await specFromLocalState(state, { timeoutMs: 120_000 }));
    const t0 = Date.now();
    await seedGatewayDataset(client, { keys });
    const dbsize = await client.dbsize();
    const a = path.join(dir, 'a.rdb');
    const bytesA = await saveTo(client, a);
    console.log(`seeded ${dbsize} keys in ${((Date.now() - t0) / 1000).toFixed(1)} s; RDB ${(bytesA / 1e6).toFixed(1)} MB`);

    const live = JSON.parse((await mustRun('gridctl memory --samples 0', 'node', [BIN, 'memory', '--run-dir', runDir, '--json', '--fail-on', 'never', '--samples', '0'])).stdout);
    // The second backup: 5% more sessions, the order book's buy side grown, some rate limits gone.
    const more = client.pipeline();
    for (let i = 0; i < Math.ceil(keys / 20); i++) more.set(`user:session:later-${i}`, `{"user_id":"later-${i}","role":"trader"}`, 'EX', 86400);
    for (let i = 0; i < 2000; i++) more.zadd('orderbook:buy', 0.3 + i / 1e5, `{"id":"later-${i}","side":"Buy"}`);
    await more.exec();
    const b = path.join(dir, 'b.rdb');
    const bytesB = await saveTo(client, b);
    client.disconnect();

    const check = await mustRun('redis-check-rdb', 'redis-check-rdb', [a]);
    const fromFile = await mustRun('gridctl memory --from', 'node', [BIN, 'memory', '--from', a, '--json', '--fail-on', 'never']);
    const report = JSON.parse(fromFile.stdout);
    const diff = await mustRun('gridctl backup diff', 'node', [BIN, 'backup', 'diff', a, b, '--json']);
    const diffReport = JSON.parse(diff.stdout);

    const mbps = bytesA / 1e6 / (fromFile.wallMs / 1000);
    const inProcessMbps = bytesA / 1e6 / (report.durationMs / 1000);
    table([
      ['tool', 'wall', 'MB/s', 'peak RSS', 'notes'],
      ['redis-check-rdb a.rdb', s(check.wallMs), (bytesA / 1e6 / (check.wallMs / 1000)).toFixed(0), mb(check.maxRssKb), 'reads and checks every byte'],
      ['gridctl memory --from a.rdb --json', s(fromFile.wallMs), mbps.toFixed(0), mb(fromFile.maxRssKb), `${report.totals.keys} keys, ${report.namespaces.length} namespaces; in-process ${s(report.durationMs)} (${inProcessMbps.toFixed(0)} MB/s)`],
      ['gridctl backup diff a.rdb b.rdb --json', s(diff.wallMs), ((bytesA + bytesB) / 1e6 / (diff.wallMs / 1000)).toFixed(0), mb(diff.maxRssKb), `${diffReport.totals.added} added, top namespace ${diffReport.namespaces[0]?.namespace}`],
    ]);
    console.log(
      `memory --from: ${mbps.toFixed(0)} MB/s (target >= 150); ${(fromFile.wallMs / check.wallMs).toFixed(2)}x redis-check-rdb (target <= 2x); ` +
        `peak RSS ${mb(fromFile.maxRssKb)} (target < 150 MB)`,
    );
    console.log(`backup diff of two backups: ${(diff.wallMs / fromFile.wallMs).toFixed(2)}x analysing one (target < 2x); peak RSS ${mb(diff.maxRssKb)}`);

    // Estimated bytes per namespace against MEMORY USAGE SAMPLES 0 of the live keys (same data, before
    // the changes). Keys with short TTLs (locks 30 s, rate limits 60 s) expire between SAVE and the live
    // scan; where the key counts differ, the error is of the bytes per key.
    const est = new Map(report.namespaces.map((n) => [n.name, n]));
    const rows = [['namespace', 'keys live', 'keys file', 'MEMORY USAGE', 'estimate', 'error']];
    let worst = 0;
    for (const n of live.namespaces) {
      const e = est.get(n.name);
      const perKey = e && e.keys !== n.keys;
      const error = !e ? NaN : perKey ? e.bytes / e.keys / (n.bytes / n.keys) - 1 : (e.bytes - n.bytes) / n.bytes;
      worst = Math.max(worst, Math.abs(error));
      rows.push([n.name, n.keys, e?.keys ?? '-', n.bytes, e?.bytes ?? '-', `${(error * 100).toFixed(1)}%${perKey ? ' per key' : ''}`]);
    }
    rows.push(['(total)', live.totals.keys, report.totals.keys, live.totals.bytes, report.totals.bytes, `${(((report.totals.bytes - live.totals.bytes) / live.totals.bytes) * 100).toFixed(1)}%`]);
    table(rows);
    console.log(`largest per-namespace error: ${(worst * 100).toFixed(1)}% (target <= 10%); sized for ${report.backup.estimate.allocator} jemalloc (${report.backup.estimate.reason})`);
    return { keys: dbsize, rdbBytes: bytesA, checkMs: check.wallMs, fromFileMs: fromFile.wallMs, mbps, rssKb: fromFile.maxRssKb, diffMs: diff.wallMs, worstError: worst };
  } finally {
    await downLocal(runDir);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  run().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(1);
  });
}
