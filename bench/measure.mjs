// What the benchmarks share: running a command while measuring its wall time and peak RSS.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';

const TIME = '/usr/bin/time';

/** Run a command, measuring wall time and (via /usr/bin/time or /proc VmHWM) its peak RSS in KB. */
export function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const useTime = existsSync(TIME);
    const child = useTime ? spawn(TIME, ['-f', 'MAXRSS_KB=%M', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hwm = 0;
    const poll = useTime
      ? undefined
      : setInterval(async () => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 20);
    const t0 = process.hrtime.bigint();
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      const m = /MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ code, wallMs, stdout, stderr, maxRssKb: m ? Number(m[1]) : hwm });
    });
  });
}
