import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { durationFlag, durationText, exactKey, lockKey, lockName, openBackend, redlockUrls } from './shared.js';
import { GridctlError } from '../../core/errors.js';
import { runUnderLock, type RunUnderLockResult } from '../../core/lock/run-under-lock.js';

const lockRunOptions = z.strictObject({
  name: lockName,
  command: z.array(z.string()).check(z.minLength(1)),
  ttl: durationText,
  wait: z._default(durationText, '0'),
  redlock: redlockUrls,
  key: exactKey,
});

type LockRunOptions = z.infer<typeof lockRunOptions>;

/**
 * `gridctl lock run NAME --ttl -- CMD`: the command runs while the lock is held and gridctl exits
 * with its code; a lost lock is LOCK_LOST (exit 1). The command owns stdout, so only --json prints.
 */
export default defineCommand({
  options: lockRunOptions,
  async run(opts: LockRunOptions, ctx): Promise<RunUnderLockResult> {
    const ttlMs = durationFlag(opts.ttl, '--ttl', 300);
    const waitMs = durationFlag(opts.wait, '--wait', 0);
    const { key } = await lockKey(ctx, opts.name, opts.key);
    const backend = await openBackend(ctx, key, opts.redlock, ttlMs);
    let result: RunUnderLockResult;
    try {
      result = await runUnderLock({
        backend,
        ttlMs,
        waitMs,
        command: opts.command,
        env: ctx.env,
        borrowSignals: ctx.borrowSignals,
        onEvent: (message, level) => (level === 'warn' ? ctx.out.warn(`gridctl: ${message}`) : ctx.out.debug(`gridctl: ${message}`)),
      });
    } finally {
      await backend.close();
    }
    if (result.lockLost) {
      throw new GridctlError('LOCK_LOST', `lock ${result.key} was lost while the command ran (${result.lostReason}); the command was stopped (exit ${result.exitCode})`, {
        hint: 'another process may have run concurrently; raise --ttl or check the connection to Redis',
        details: { ...result },
      });
    }
    return result;
  },
  render: () => undefined,
  verdict: (result) => result.exitCode,
});
