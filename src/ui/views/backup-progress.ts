import type { Output } from '../output.js';
import { formatBytes } from '../../core/memory/parse-size.js';

export interface BackupProgress {
  /** Logical mode: records written so far, of about `expectedKeys` (DBSIZE at the start). */
  update(p: { keys: number; bytes: number; expectedKeys: number }): void;
  /**
   * RDB mode: bytes received so far over all transfers, and how many of them have finished. A
   * diskless transfer announces no size, so there is no bar to fill: a counter line instead.
   */
  transfer(p: { bytes: number; done: number; transfers: number }): void;
  stop(): void;
}

/**
 * A progress bar on stderr, only when stderr is a terminal (never in cron logs or with --json).
 * Its own module, and cli-progress is loaded only for a terminal: a backup run from cron or a
 * script starts its transfer without loading the bar or the summary tables.
 */
export async function createBackupProgress(out: Output): Promise<BackupProgress> {
  if (!out.stderrIsTTY || out.json || out.quiet) return { update: () => undefined, transfer: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined;
  const startBar = (format: string, total: number) => {
    bar = new cliProgress.SingleBar({ stream: out.progressStream, format, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { size: '0 B' });
    return bar;
  };
  return {
    update(p) {
      const b = bar ?? startBar('backup [{bar}] {percentage}% | {value}/{total} keys | {size}', Math.max(p.expectedKeys, 1));
      if (p.keys > b.getTotal()) b.setTotal(p.keys);
      b.update(p.keys, { size: formatBytes(p.bytes) });
    },
    transfer(p) {
      const b = bar ?? startBar('backup --mode rdb: {value}/{total} RDB transfers done | {size} received | {duration_formatted}', Math.max(p.transfers, 1));
      b.update(p.done, { size: formatBytes(p.bytes) });
    },
    stop() {
      bar?.stop();
    },
  };
}
