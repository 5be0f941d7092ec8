import { setTimeout as sleep } from 'node:timers/promises';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { bookOptions, readBook } from './book.js';
import { usageError } from '../../core/errors.js';
import { onCancel } from '../../core/cancel.js';
import type { OrderbookReport } from '../../core/orderbook/inspect.js';
import type { Coverage } from '../../core/redis/coverage.js';
import { formatOrderbook, renderOrderbook } from '../../ui/views/orderbook-view.js';

const orderbookInspectOptions = z.strictObject({
  ...bookOptions,
  watch: z.optional(z.union([z.literal(true), z.coerce.number().check(z.positive(), z.maximum(3600))])),
});

type OrderbookInspectOptions = z.infer<typeof orderbookInspectOptions>;

/** `gridctl orderbook inspect`: depth, best prices, spread, metadata drift and the audit; FAIL findings exit 1. */
export default defineCommand({
  options: orderbookInspectOptions,
  async run(opts: OrderbookInspectOptions, ctx): Promise<OrderbookReport & { coverage: Coverage }> {
    if (opts.watch !== undefined) return watch(opts, opts.watch === true ? 2 : opts.watch, ctx);
    const dep = await ctx.openDeployment();
    try {
      return { ...(await readBook(ctx, dep.client, opts)), coverage: await dep.coverage() };
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderOrderbook(report, out),
  verdict: (report) => (report.status === 'FAIL' ? 1 : 0),
});

/** Redraw the report in place every N seconds until Ctrl-C (exit 2, like any cancelled command). */
async function watch(opts: OrderbookInspectOptions, seconds: number, ctx: CommandContext): Promise<never> {
  if (ctx.json || !ctx.out.stdoutIsTTY) throw usageError('--watch redraws a terminal; it needs stdout on a TTY and no --json', 'run it once (no --watch) when piping, or loop in the shell');
  const dep = await ctx.openDeployment();
  onCancel(() => dep.close());
  for (;;) {
    const report = await readBook(ctx, dep.client, opts);
    ctx.out.redraw(`${formatOrderbook(report, { tty: true })}\n\nrefreshing every ${seconds}s · Ctrl-C to stop`);
    await sleep(seconds * 1000);
  }
}
