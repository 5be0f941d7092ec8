// Memory-analysis benchmark (issue 5): on a generated gateway-shaped dataset (default 1M keys),
// the wall time of the full `gridctl memory` report next to `redis-cli --memkeys` on the same data
// in the same run, as a ratio, plus the gridctl process's peak RSS (/usr/bin/time %M, or VmHWM).
// Targets: at most 0.3x redis-cli --memkeys' time; client peak RSS under 150 MB at any key count.
// Run alone: npm run build && node bench/memory.mjs [--keys N]
import { mkdtemp, rm } from 'node:fs/promises';
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

function parseArgs(argv) {
  const i = argv.indexOf('--keys');
  const keys = i >= 0 ? Number(argv[i + 1]) : 1_000_000;
  if (!Number.isInteger(keys) || keys <= 0) throw new Error('--keys N expects a positive integer');
  return { keys };
}


export async function run(argv = process.argv.slice(2)) {
  const { keys } = parseArgs(argv);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bench-memory-'));
  const runDir = path.join(dir, 'run');
  const state = await upLocal({ topology: 'standalone', dir: runDir, extraConfig: ['save ""', 'appendonly no'] });
  try {
    const port = state.nodes[0].port;
    const client = await connectMain(await specFromLocalState(state, { timeoutMs: 30_000 }));
    const t0 = Date.now();
    await seedGatewayDataset(client, { keys });
    const dbsize = await client.dbsize();
    console.log(`seeded ${dbsize} keys in ${((Date.now() - t0) / 1000).toFixed(1)} s (gateway-shaped: sessions, profiles, rate limits, orders, order book, streams)`);
    client.disconnect();

    const cli = await timed('redis-cli', ['-p', String(port), '--memkeys']);
    if (cli.code !== 0) throw new Error(`redis-cli --memkeys failed: ${cli.stderr}`);
    const grid = await timed('node', [BIN, 'memory', '--run-dir', runDir, '--json', '--fail-on', 'never']);
    if (grid.code !== 0) throw new Error(`gridctl memory failed (${grid.code}): ${grid.stderr}`);
    const report = JSON.parse(grid.stdout);

    const ratio = grid.wallMs / cli.wallMs;
    const rows = [
      ['tool', 'wall', 'keys', 'peak RSS', 'notes'],
      ['redis-cli --memkeys', `${(cli.wallMs / 1000).toFixed(2)} s`, String(dbsize), `${(cli.maxRssKb / 1024).toFixed(1)} MB`, 'per type only, one node'],
      [
        'gridctl memory --json',
        `${(grid.wallMs / 1000).toFixed(2)} s`,
        String(report.totals.keys),
        `${(grid.maxRssKb / 1024).toFixed(1)} MB`,
        `${report.technique} technique, ${report.namespaces.length} namespaces, batch ${report.nodes.map((n) => n.batchKeys).join('/')} keys, in-process ${(report.durationMs / 1000).toFixed(2)} s`,
      ],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('  '));
    console.log(`ratio gridctl / redis-cli --memkeys: ${ratio.toFixed(2)}x (target <= 0.30x)   client peak RSS ${(grid.maxRssKb / 1024).toFixed(1)} MB (target < 150 MB)`);
    console.log('note: numbers measured on a shared machine are pessimistic; gridctl includes node start-up (~0.3 s) and the full namespace report.');
    return { keys: dbsize, redisCliMs: cli.wallMs, gridctlMs: grid.wallMs, ratio, gridctlPeakRssKb: grid.maxRssKb };
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
