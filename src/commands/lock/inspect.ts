import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { classified, exactKey, lockKey, lockName } from './shared.js';
import { GridctlError } from '../../core/errors.js';
import { inspectLock } from '../../core/lock/inspect.js';
import type { LockEntry } from '../../core/lock/describe.js';
import type { Coverage } from '../../core/redis/coverage.js';
import { renderLockEntry } from '../../ui/views/lock-view.js';

const lockInspectOptions = z.strictObject({ name: lockName, key: exactKey });

type LockInspectOptions = z.infer<typeof lockInspectOptions>;

/** `gridctl lock inspect NAME`: one lock in detail; a missing lock is NOT_FOUND and a stuck one exits 1. */
export default defineCommand({
  options: lockInspectOptions,
  async run(opts: LockInspectOptions, ctx): Promise<LockEntry & { coverage: Coverage }> {
    const { key, settings } = await lockKey(ctx, opts.name, opts.key);
    const dep = await ctx.openDeployment();
    try {
      const entry = await classified(dep, () => inspectLock(dep.client, key, settings));
      if (!entry) {
        throw new GridctlError('NOT_FOUND', `no lock ${key}`, { hint: '`gridctl lock list` shows every lock; pass --key if NAME is the exact key' });
      }
      return { ...entry, coverage: await dep.coverage() };
    } finally {
      await dep.close();
    }
  },
  render: (entry, out) => renderLockEntry(entry, out),
  verdict: (entry) => (entry.state === 'stuck' ? 1 : 0),
});
