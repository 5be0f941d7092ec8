import v8 from 'node:v8';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

/**
 * Keep V8's young generation (new space) at or below `semiSpaceMb` per semi-space for the rest of
 * the process, as `node --max-semi-space-size=N` would, without a flag on the command line.
 *
 * Why: a long streaming job (backup) allocates steadily; V8 doubles new space after every
 * capacity's worth of surviving bytes, up to 16 MB per semi-space (32 MB of RSS), although the
 * job's live set is a few MB. Garbage Buffers (socket reads, zlib output) are only freed when the
 * objects pointing at them are collected, so a smaller new space also frees them sooner
 * (docs/DEVELOPING.md, Measurements).
 *
 * How: after each minor GC (a perf_hooks 'gc' entry, no polling) the new space's size is read;
 * once it reaches the cap, `--semi-space-growth-factor=1` stops further growth. That flag is read
 * by V8 each time it grows new space, so setting it at run time takes effect (Node keeps V8 flags
 * writable after start-up); if a future V8 ignored it, memory would be as before, nothing else.
 */
export function capYoungGeneration(semiSpaceMb: number): () => void {
  const limit = 2 * semiSpaceMb * 1024 * 1024;
  let capped = false;
  const newSpaceSize = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  const capIfReached = (): boolean => {
    // V8 grows by the factor; stop one step early so the last growth cannot overshoot the cap.
    if (newSpaceSize() * 2 > limit) {
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      capped = true;
    }
    return capped;
  };
  // V8's default growth factor, put back when the job is done (the process may go on, e.g. in tests).
  const uncap = () => {
    observer?.disconnect();
    if (capped) v8.setFlagsFromString('--semi-space-growth-factor=2');
  };
  let observer: PerformanceObserver | undefined;
  if (capIfReached()) return uncap;
  observer = new PerformanceObserver((list) => {
    if (capped) return;
    for (const e of list.getEntries()) {
      if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR && capIfReached()) {
        observer?.disconnect();
        return;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return uncap;
}
