// Backup / restore on a generated gateway-shaped dataset, next to `redis-cli --rdb` in the same run:
// wall time, keys/s and the client's peak RSS (the child process's VmHWM via /usr/bin/time -f %M),
// as ratios. `node bench/backup.mjs [--keys 1000000] [--rounds 3]`. Each round seeds the dataset
// again and times every step once, each after a `sync` (no step pays for the previous one's dirty
// pages); the table shows each step's median over the rounds, its ratio to the same round's
// redis-cli run (median, with the range), since single runs on a shared 2-core box swing by ~10%.
// A second, 4x smaller dataset (one round) shows the client's memory is flat in key count.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { seedGatewayDataset } from './gateway-dataset.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin', 'gridctl.js');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(dir, name) {
  const port = await freePort();
  const data = path.join(dir, name);
  spawnSync('mkdir', ['-p', data]);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', data,
    '--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--enable-debug-command', 'local', '--logfile', path.join(data, 'log')], { stdio: 'ignore' });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  // Refused connects while the server starts are expected; the loop below retries them.
  client.on('error', () => undefined);
  for (let i = 0; i < 50; i++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch {
      client.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, client, pid: child.pid, log: path.join(data, 'log'), stop: () => child.kill('SIGKILL') };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds of the server's children it has reaped (cutime + cstime in /proc/PID/stat): its forks. */
function reapedChildCpuSeconds(server) {
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** Wall seconds of the last fork that served an RDB transfer: the parent's "started by pid" line to the child's "Fork CoW" line. */
function lastForkWallSeconds(server) {
  const lines = readFileSync(server.log, 'utf8').trim().split('\n');
  const at = (re) => {
    const line = lines.findLast((l) => re.test(l));
    const m = line && /(\d+):(\d+):(\d+)\.(\d+)/.exec(line);
    return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) : NaN;
  };
  return (at(/Fork CoW for RDB/) - at(/transfer started by pid/)) / 1000;
}

/**
 * An RDB transfer step, with what Redis' forked child did during it: its CPU and its wall time.
 * The child's CPU is the same whoever reads; its wall time is longer when the reader and its
 * helpers take CPU from it (a 2-core box running server and client together).
 */
function measuredTransfer(server, cmd, args) {
  const reaped = () => readFileSync(server.log, 'utf8').split('\n').filter((l) => /Background .* terminated/.test(l)).length;
  const reaped0 = reaped();
  const cpu0 = reapedChildCpuSeconds(server);
  const m = measured(cmd, args);
  // The parent reaps the child (and logs it) within a cron tick (100 ms at hz 10) of its end; only
  // then are the child's CPU seconds added to the parent's.
  const deadline = Date.now() + 2000;
  while (reaped() === reaped0 && Date.now() < deadline) spawnSync('sleep', ['0.05']);
  return { ...m, fork: { cpuS: reapedChildCpuSeconds(server) - cpu0, wallS: lastForkWallSeconds(server) } };
}

/** CPU seconds (user + sys) of Redis' main thread so far. */
async function redisCpuSeconds(client) {
  const info = await client.info('cpu');
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return field('used_cpu_user_main_thread') + field('used_cpu_sys_main_thread');
}

/** Run a command under /usr/bin/time: wall ms and peak RSS (KiB) of that process. */
function measured(cmd, args) {
  spawnSync('sync');
  const hasTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'MAXRSS=%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}\n${String(r.stdout).slice(0, 2000)}`);
  const rss = Number(/MAXRSS=(\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { ms, rssMb: rss / 1024, stdout: r.stdout };
}

async function round(keys, dir, src, dst) {
  await src.client.flushall();
  await seedGatewayDataset(src.client, { keys });
  const total = await src.client.dbsize();
  const rdbFile = path.join(dir, `cli-${keys}.rdb`);
  const cli = measuredTransfer(src, 'redis-cli', ['-p', String(src.port), '--rdb', rdbFile]);
  const url = `redis://127.0.0.1:${src.port}`;
  const cpuBefore = await redisCpuSeconds(src.client);
  const logical = measured(process.execPath, [BIN, 'backup', '--url', url, '--dir', path.join(dir, `logical-${keys}`), '--json']);
  const report = JSON.parse(logical.stdout);
  // Redis' own CPU during the logical backup: SCAN + DUMP + PEXPIRETIME run on its single thread,
  // so this is the floor of any logical backup's wall time.
  const redisCpuS = (await redisCpuSeconds(src.client)) - cpuBefore;
  const rdb = measuredTransfer(src, process.execPath, [BIN, 'backup', '--mode', 'rdb', '--url', url, '--dir', path.join(dir, `rdb-${keys}`), '--json']);
  await dst.client.flushall();
  const restore = measured(process.execPath, [BIN, 'restore', report.file, '--url', `redis://127.0.0.1:${dst.port}`, '--yes', '--json']);
  const rr = JSON.parse(restore.stdout);
  if (!rr.ok) throw new Error('restore reported a failure');
  // Emptied at once, not left until the next round's restore: its keys carry the source's expiry
  // times (60 s for the rate limits), so they would expire during the next round's timed steps, and
  // the server's active expiry would take CPU from whichever tool was being timed.
  await dst.client.flushall();
  return { keys: total, cli, logical, report, redisCpuS, rdb, restore, rr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per step: the median run (wall, RSS) and the median / range of its ratio to its round's redis-cli run. */
function summarize(rounds, step) {
  const ratios = rounds.map((r) => r[step].ms / r.cli.ms);
  const ms = median(rounds.map((r) => r[step].ms));
  const rssMb = median(rounds.map((r) => r[step].rssMb));
  return { ms, rssMb, ratio: median(ratios), lo: Math.min(...ratios), hi: Math.max(...ratios) };
}

export async function run(argv = []) {
  const arg = (name, dflt) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const keys = arg('--keys', 1_000_000);
  const roundsWanted = Math.max(1, arg('--rounds', 3));
  if (!existsSync(path.join(root, 'dist', 'main.js'))) throw new Error('build first: npx tsc -p tsconfig.build.json');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridctl-bench-backup-'));
  const src = await startServer(dir, 'src');
  const dst = await startServer(dir, 'dst');
  try {
    const small = await round(Math.max(1000, Math.round(keys / 4)), dir, src, dst);
    const rounds = [];
    for (let r = 0; r < roundsWanted; r++) rounds.push(await round(keys, dir, src, dst));
    const big = rounds[rounds.length - 1];
    const kps = (n, ms) => Math.round((n * 1000) / ms);
    const fmt = (x) => x.toFixed(2);
    console.log(`dataset: ${big.keys} keys (gateway-shaped), archive ${(big.report.bytes / 1048576).toFixed(1)} MiB; ${rounds.length} round(s), medians; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    console.log(['step', 'wall s', 'keys/s', 'peak RSS MB', `RSS at ${small.keys} keys`, 'vs redis-cli --rdb (range)', 'target'].join('\t'));
    const cli = summarize(rounds, 'cli');
    console.log(['redis-cli --rdb', fmt(cli.ms / 1000), kps(big.keys, cli.ms), fmt(cli.rssMb), fmt(small.cli.rssMb), '1.00x', '-'].join('\t'));
    const row = (label, step, target) => {
      const m = summarize(rounds, step);
      console.log([label, fmt(m.ms / 1000), kps(big.keys, m.ms), fmt(m.rssMb), fmt(small[step].rssMb), `${fmt(m.ratio)}x (${fmt(m.lo)}-${fmt(m.hi)})`, target].join('\t'));
    };
    row('gridctl backup (logical)', 'logical', '>=100k keys/s, <=2x, RSS<150MB');
    row('gridctl backup --mode rdb', 'rdb', '<=1.1x');
    row('gridctl restore', 'restore', '>=120k keys/s, RSS<150MB');
    const redisCpuS = median(rounds.map((r) => r.redisCpuS));
    console.log(`Redis main-thread CPU during the logical backup: ${redisCpuS.toFixed(2)} s = ${((redisCpuS * 1e6) / big.keys).toFixed(2)} us/key (${fmt((redisCpuS * 1000) / cli.ms)}x redis-cli --rdb's wall time before gridctl does anything)`);
    const fork = (step, key) => median(rounds.map((r) => r[step].fork[key])).toFixed(2);
    console.log(`Redis' forked child (serialising the RDB), medians: during redis-cli --rdb ${fork('cli', 'wallS')} s wall for ${fork('cli', 'cpuS')} s of CPU; during gridctl --mode rdb ${fork('rdb', 'wallS')} s wall for ${fork('rdb', 'cpuS')} s of CPU (the same work; the rest of its wall time it waited for a core or for its reader)`);
    console.log(`inside gridctl (last round): backup ${big.report.keysPerSecond} keys/s over ${(big.report.durationMs / 1000).toFixed(2)} s (dump + write ${big.report.phases?.dumpMs} ms, read-back verify ${big.report.phases?.verifyMs} ms); restore ${big.rr.keysPerSecond} keys/s over ${(big.rr.durationMs / 1000).toFixed(2)} s (verify + restore + sample check); the rest of the wall time is process start-up and connection`);
    return { big, small, rounds };
  } finally {
    src.client.disconnect();
    dst.client.disconnect();
    src.stop();
    dst.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  run(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
