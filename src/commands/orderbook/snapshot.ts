import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { bookOptions, readBook } from './book.js';
import { snapshotOrderbook, type SnapshotSummary } from '../../core/orderbook/snapshot.js';
import type { Coverage } from '../../core/redis/coverage.js';
import { renderSnapshot } from '../../ui/views/orderbook-view.js';

const orderbookSnapshotOptions = z.strictObject({
  ...bookOptions,
  out: z.string().check(z.minLength(1)),
  dryRun: z.optional(z.boolean()),
});

type OrderbookSnapshotOptions = z.infer<typeof orderbookSnapshotOptions>;

/** `gridctl orderbook snapshot --out FILE`: both sides, the metadata and the audit in one JSON file (written atomically). */
export default defineCommand({
  options: orderbookSnapshotOptions,
  async run(opts: OrderbookSnapshotOptions, ctx): Promise<SnapshotSummary & { coverage: Coverage }> {
    const dep = await ctx.openDeployment();
    try {
      const report = await readBook(ctx, dep.client, opts);
      const summary = await snapshotOrderbook(dep.client, report, { file: path.resolve(ctx.cwd, opts.out), target: dep.spec.source, ...(opts.dryRun ? { dryRun: true } : {}) });
      return { ...summary, coverage: await dep.coverage() };
    } finally {
      await dep.close();
    }
  },
  render: (summary, out) => renderSnapshot(summary, out),
  verdict: (summary) => (summary.status === 'FAIL' ? 1 : 0),
});
