// Real-time layer benchmark (issue 20): `stream inspect` on a 1M-entry stream with 10k pending
// entries, and `clients` with 5,000 open connections, each next to redis-cli doing the same reads
// (XINFO STREAM/GROUPS/CONSUMERS + XPENDING of the whole PEL; CLIENT LIST), as ratios.
// Targets: both well under a second. Figures are medians of `repeat` runs (default 5).
// Run alone: npm run build && node bench/realtime.mjs [entries] [connections] [repeat]
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upLocal, downLocal } from '../dist/core/local/up.js';
import { specFromLocalState } from '../dist/core/redis/resolve.js';
import { connectMain } from '../dist/core/redis/connect.js';

const gridctlBin = fileURLToPath(new URL('../bin/gridctl.js', import.meta.url));

function timed(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, r };
}

function medianOf(repeat, fn) {
  const runs = Array.from({ length: repeat }, () => timed(fn).ms).sort((a, b) => a - b);
  return { ms: runs[Math.floor(runs.length / 2)], min: runs[0], max: runs[runs.length - 1] };
}

/** The real command, a fresh process as an operator runs it. Exit 1 (findings) is a normal outcome here. */
function gridctl(runDir, args) {
  const r = spawnSync(process.execPath, [gridctlBin, ...args, '--run-dir', runDir, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`gridctl ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function redisCli(port, commands) {
  for (const args of commands) {
    const r = spawnSync('redis-cli', ['-p', String(port), ...args], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 256 << 20 });
    if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed`);
  }
}

async function seedStream(client, entries, pending) {
  for (let from = 0; from < entries; from += 10_000) {
    const p = client.pipeline();
    for (let i = from; i < Math.min(entries, from + 10_000); i++) p.xadd('stream:settlements', '*', 'settlement', `s-${i}`, 'amount', String(i % 1000), 'user_id', `u-${i % 977}`);
    await p.exec();
  }
  await client.xgroup('CREATE', 'stream:settlements', 'settlement', '0');
  // 10 consumers read `pending` entries between them and acknowledge none.
  for (let c = 0; c < 10; c++) await client.xreadgroup('GROUP', 'settlement', `settler-${c}`, 'COUNT', Math.ceil(pending / 10), 'STREAMS', 'stream:settlements', '>');
  await client.xgroup('CREATE', 'stream:settlements', 'analytics', '$');
}

/** Open `n` idle connections the cheap way (raw sockets), named like a gateway pool, in batches. */
async function openConnections(port, n) {
  const sockets = [];
  for (let from = 0; from < n; from += 500) {
    const batch = [];
    for (let i = from; i < Math.min(n, from + 500); i++) {
      batch.push(
        new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', () => {
            const name = `gateway-${i % 100}`;
            s.write(`*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$${name.length}\r\n${name}\r\n`);
            s.once('data', () => resolve(s));
          });
          s.on('error', reject);
        }),
      );
    }
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

export async function run(args = []) {
  const num = (flag, dflt) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const entries = num('--entries', 1_000_000);
  const pending = num('--pending', 10_000);
  const connections = num('--connections', 5000);
  const repeat = num('--repeat', 5);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-bench-realtime-'));
  const runDir = path.join(dir, 'run');
  const state = await upLocal({ topology: 'standalone', dir: runDir, extraConfig: ['save ""', 'appendonly no'] });
  const spec = await specFromLocalState(state, { timeoutMs: 30_000 });
  const port = state.nodes[0].port;
  const client = await connectMain(spec);
  let sockets = [];
  try {
    console.log(`realtime bench: seeding ${entries} stream entries with ${pending} pending ...`);
    await seedStream(client, entries, pending);
    const report = gridctl(runDir, ['stream', 'inspect', 'stream:settlements']);
    const g = medianOf(repeat, () => gridctl(runDir, ['stream', 'inspect', 'stream:settlements']));
    const raw = medianOf(repeat, () =>
      redisCli(port, [
        ['XINFO', 'STREAM', 'stream:settlements'],
        ['XINFO', 'GROUPS', 'stream:settlements'],
        ['XINFO', 'CONSUMERS', 'stream:settlements', 'settlement'],
        ['XINFO', 'CONSUMERS', 'stream:settlements', 'analytics'],
        ['XPENDING', 'stream:settlements', 'settlement', '-', '+', String(pending)],
      ]),
    );
    const settlement = report.groups.find((x) => x.name === 'settlement');
    console.log(`  stream inspect (${report.length} entries, ${settlement.pending} pending, max deliveries ${settlement.maxDeliveries}): gridctl ${g.ms.toFixed(0)} ms (range ${g.min.toFixed(0)}-${g.max.toFixed(0)}) | redis-cli, same reads, 5 processes ${raw.ms.toFixed(0)} ms | ratio ${(g.ms / raw.ms).toFixed(2)}x | target < 1 s: ${g.ms < 1000 ? 'met' : 'MISSED'}`);

    console.log(`realtime bench: opening ${connections} connections ...`);
    sockets = await openConnections(port, connections);
    const cr = gridctl(runDir, ['clients']);
    const gc = medianOf(repeat, () => gridctl(runDir, ['clients']));
    const rc = medianOf(repeat, () => redisCli(port, [['CLIENT', 'LIST']]));
    console.log(`  clients (${cr.totals.clients} connections, ${cr.groups.length} groups): gridctl ${gc.ms.toFixed(0)} ms (range ${gc.min.toFixed(0)}-${gc.max.toFixed(0)}) | redis-cli CLIENT LIST ${rc.ms.toFixed(0)} ms | ratio ${(gc.ms / rc.ms).toFixed(2)}x | target < 1 s: ${gc.ms < 1000 ? 'met' : 'MISSED'}`);
    console.log(`  medians of ${repeat} runs of the built binary (process start included), load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    return { inspect: g, inspectRaw: raw, clients: gc, clientsRaw: rc };
  } finally {
    for (const s of sockets) s.destroy();
    client.disconnect();
    await downLocal(runDir);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run(process.argv.slice(2));
}
