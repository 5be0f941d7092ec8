// `gridctl check` on a whole rendered cluster scaffold (gridctl init, production, 6 nodes: every
// redis.conf, users.acl and the included secrets), wall time including Node start-up, next to
// `node -e 0` and next to the only standard alternative: booting redis-server on each file.
// Target: under 1 s. Falls back to a generated ~20-file set when src/core/scaffold is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin', 'gridctl.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(cmd, args, runs, opts = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(cmd, args, { stdio: 'ignore', ...opts });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

function countFiles(dir) {
  let n = 0;
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) n += countFiles(p);
    else if (/\.(conf|acl)$/.test(e)) n++;
  }
  return n;
}

async function renderScaffold(dir) {
  const scaffoldJs = path.join(root, 'dist/core/scaffold/scaffold.js');
  if (existsSync(scaffoldJs)) {
    const { scaffold } = await import(scaffoldJs);
    const { buildInitialConfig, defaultAnswers } = await import(path.join(root, 'dist/core/scaffold/model.js'));
    const config = buildInitialConfig(defaultAnswers({ profile: 'production', topology: 'cluster' }));
    await scaffold({ outDir: dir, config, writeModel: true, dryRun: false, force: false, rotateSecrets: false });
    return 'gridctl init --topology cluster --profile production';
  }
  for (let i = 1; i <= 20; i++) writeFileSync(path.join(dir, `node-${i}.conf`), `bind 10.0.0.${i} 127.0.0.1\nport 0\ntls-port ${7000 + i}\ncluster-enabled yes\nmaxmemory 1gb\n`, { mode: 0o600 });
  return 'generated 20-file cluster set';
}

export async function run(argv = []) {
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 7;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gridctl-bench-check-'));
  try {
    const source = await renderScaffold(dir);
    const files = countFiles(dir);
    time(process.execPath, ['-e', '0'], 2);
    const node = time(process.execPath, ['-e', '0'], runs);
    const check = time(process.execPath, [BIN, 'check', dir], runs, { cwd: dir });
    const confs = readdirSync(path.join(dir, 'redis')).filter((f) => f.endsWith('.conf')).map((f) => path.join(dir, 'redis', f));
    // redis-server --version per file: the process start-up floor of any boot-based check.
    const redisFloor = time('sh', ['-c', confs.map(() => 'redis-server --version >/dev/null').join(';')], runs);
    console.log(`check (median of ${runs}; ${source}; ${files} .conf/.acl files)`);
    console.log(`  node -e 0                          ${node.toFixed(1)} ms`);
    console.log(`  gridctl check <scaffold>           ${check.toFixed(1)} ms   ratio ${(check / node).toFixed(2)}x node -e 0   ${check < 1000 ? 'OK < 1 s' : 'OVER 1 s'}`);
    console.log(`  redis-server --version x ${confs.length} (floor of a boot check) ${redisFloor.toFixed(1)} ms   ratio ${(check / redisFloor).toFixed(2)}x`);
    return { files, nodeMs: node, checkMs: check, redisFloorMs: redisFloor, underOneSecond: check < 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
