// Start-up time of `gridctl --help` next to a bare `node -e 0`, as a ratio: the CLI must stay
// quick to start because operators and cron run it constantly.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin', 'gridctl.js');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

export async function run(argv = []) {
  const runs = Number(argv[argv.indexOf('--runs') + 1]) || 15;
  time(['-e', '0'], 2);
  const node = time(['-e', '0'], runs);
  const help = time([BIN, '--help'], runs);
  const version = time([BIN, '--version'], runs);
  console.log(`startup (median of ${runs})`);
  console.log(`  node -e 0            ${node.toFixed(1)} ms`);
  console.log(`  gridctl --help       ${help.toFixed(1)} ms   ratio ${(help / node).toFixed(2)}x node -e 0`);
  console.log(`  gridctl --version    ${version.toFixed(1)} ms   ratio ${(version / node).toFixed(2)}x node -e 0`);
  return { nodeMs: node, helpMs: help, versionMs: version, ratio: help / node };
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
