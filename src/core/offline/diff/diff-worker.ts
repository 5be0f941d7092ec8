import { parentPort, workerData } from 'node:worker_threads';
import { isGridctlError } from '../../errors.js';
import { scanSide, type SideOptions } from './side-scan.js';

/**
 * A worker thread that reads one side of `backup diff` (scan-sides.ts starts two). It answers
 * with the scan, its typed arrays transferred rather than copied, or with the error's parts.
 */
const { file, opts } = workerData as { file: string; opts: SideOptions };
if (opts.keyMaterial) opts.keyMaterial = Buffer.from(opts.keyMaterial);
scanSide(file, opts).then(
  (scan) => {
    const ix = scan.index;
    parentPort!.postMessage({ ok: true, scan }, [ix.hashLo.buffer, ix.hashHi.buffer, ix.ns.buffer, ix.bytes[0].buffer, ix.bytes[1].buffer, ix.flags.buffer] as ArrayBuffer[]);
  },
  (err: unknown) => {
    const e = err as Error;
    parentPort!.postMessage({ ok: false, error: isGridctlError(err) ? { gridctl: true, code: err.code, message: err.message, hint: err.hint, details: err.details, exitCode: err.exitCode } : { gridctl: false, message: e?.stack ?? String(err) } });
  },
);
