import cliProgress from 'cli-progress';
import type { Output } from '../output.js';

/** Bytes read of a backup file, on stderr and only on a terminal; stop() when done or failed. */
export function createFileProgress(out: Output): { update(done: number, total: number): void; stop(): void } {
  if (!out.stderrIsTTY || out.quiet) return { update: () => undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: 'reading {bar} {percentage}% | {value}/{total} MB | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.ceil(total / 1e6), 0);
      }
      bar.update(Math.floor(done / 1e6));
    },
    stop() {
      bar?.stop();
    },
  };
}
