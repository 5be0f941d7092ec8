import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { durationFlag, durationText, exactKey, lockKey, lockName, openBackend, redlockUrls } from './shared.js';
import { acquireWithWait, type AcquireReport } from '../../core/lock/acquire.js';
import { renderAcquire } from '../../ui/views/lock-view.js';

const lockAcquireOptions = z.strictObject({
  name: lockName,
  ttl: durationText,
  wait: z._default(durationText, '0'),
  redlock: redlockUrls,
  key: exactKey,
});

type LockAcquireOptions = z.infer<typeof lockAcquireOptions>;

/** `gridctl lock acquire NAME --ttl`: take the lock and print its token; a held lock is LOCKED (exit 1). */
export default defineCommand({
  options: lockAcquireOptions,
  async run(opts: LockAcquireOptions, ctx): Promise<AcquireReport> {
    const ttlMs = durationFlag(opts.ttl, '--ttl', 100);
    const waitMs = durationFlag(opts.wait, '--wait', 0);
    const { key } = await lockKey(ctx, opts.name, opts.key);
    const backend = await openBackend(ctx, key, opts.redlock, ttlMs);
    try {
      return await acquireWithWait(backend, { ttlMs, waitMs });
    } finally {
      await backend.close();
    }
  },
  render: (report, out) => renderAcquire(report, out),
});
