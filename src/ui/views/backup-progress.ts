import type { Output } from '../output.js';
import { formatBytes } from '../../core/memory/parse-size.js';

export interface BackupProgress {
  update(p: { keys: number; bytes: number; expectedKeys: number }): void;
  stop(): void;
}

/**
 * A progress bar on stderr, only when stderr is a terminal (never in cron logs or with --json).
 * Its own module, and cli-progress is loaded only for a terminal: a backup run from cron or a
 * script starts its transfer without loading the bar or the summary tables.
 */
export async function createBackupProgress(out: Output): Promise<BackupProgress> {
  if (!out.stderrIsTTY || out.json || out.quiet) return { update: () => undefined, stop: () => undefined };
  const { default: cliProgress } = await import('cli-progress');
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined;
  return {
    update(p) {
      if (!bar) {
        bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'backup [{bar}] {percentage}% | {value}/{total} keys | {size}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
        bar.start(Math.max(p.expectedKeys, 1), 0, { size: '0 B' });
      }
      if (p.keys > bar.getTotal()) bar.setTotal(p.keys);
      bar.update(p.keys, { size: formatBytes(p.bytes) });
    },
    stop() {
      bar?.stop();
    },
  };
}
