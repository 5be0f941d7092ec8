import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { durationFlag, durationText, exactKey, lockKey, lockName, openBackend, redlockUrls, tokenText } from './shared.js';
import type { ExtendReport } from '../../core/lock/reports.js';
import { renderExtend } from '../../ui/views/lock-view.js';

const lockExtendOptions = z.strictObject({
  name: lockName,
  ttl: durationText,
  token: tokenText,
  redlock: redlockUrls,
  key: exactKey,
});

type LockExtendOptions = z.infer<typeof lockExtendOptions>;

/** `gridctl lock extend NAME --token --ttl`: compare-and-pexpire; exit 1 when the token no longer holds it. */
export default defineCommand({
  options: lockExtendOptions,
  async run(opts: LockExtendOptions, ctx): Promise<ExtendReport> {
    const ttlMs = durationFlag(opts.ttl, '--ttl', 100);
    const { key } = await lockKey(ctx, opts.name, opts.key);
    const backend = await openBackend(ctx, key, opts.redlock, ttlMs);
    try {
      return { key, ttlMs, ...(await backend.extend(opts.token, ttlMs)), coverage: await backend.coverage() };
    } finally {
      await backend.close();
    }
  },
  render: (report, out) => renderExtend(report, out),
  verdict: (report) => (report.extended ? 0 : 1),
});
