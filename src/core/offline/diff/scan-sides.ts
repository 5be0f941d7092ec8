import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GridctlError, type ErrorCode } from '../../errors.js';
import type { ExitCodeValue } from '../../exit-codes.js';
import { PACKAGE_ROOT } from '../../../package-root.js';
import { scanSide, type SideOptions, type SideScan } from './side-scan.js';

/**
 * Read both backups of a diff at the same time: each in a worker thread when there are two CPUs
 * and this runs as built JavaScript (the bundle ships diff-worker.js; tests run the TypeScript
 * sources, which a worker cannot load), else one after the other in this thread.
 */
export async function scanSides(a: string, b: string, opts: SideOptions): Promise<[SideScan, SideScan]> {
  const worker = workerFile();
  if (!worker || availableParallelism() < 2) return [await scanSide(a, opts), await scanSide(b, opts)];
  // Both settle before either failure is thrown: no worker is left running behind an error.
  const [ra, rb] = await Promise.allSettled([runWorker(worker, a, opts), runWorker(worker, b, opts)] as const);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

function workerFile(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const beside = fileURLToPath(new URL('./diff-worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  const bundled = path.join(PACKAGE_ROOT, 'dist', 'bundle', 'diff-worker.js');
  return existsSync(bundled) ? bundled : undefined;
}

interface WorkerError {
  gridctl: boolean;
  code?: ErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
  exitCode?: ExitCodeValue;
}

function runWorker(file: string, backup: string, opts: SideOptions): Promise<SideScan> {
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData: { file: backup, opts } });
    let settled = false;
    w.once('message', (m: { ok: true; scan: SideScan } | { ok: false; error: WorkerError }) => {
      settled = true;
      if (m.ok) resolve(m.scan);
      else if (m.error.gridctl) reject(new GridctlError(m.error.code!, m.error.message, { ...(m.error.hint ? { hint: m.error.hint } : {}), ...(m.error.details ? { details: m.error.details } : {}), ...(m.error.exitCode !== undefined ? { exitCode: m.error.exitCode } : {}) }));
      else reject(new Error(m.error.message));
      void w.terminate();
    });
    w.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`backup diff worker for ${backup} exited with code ${code}`));
      settled = true;
    });
  });
}
