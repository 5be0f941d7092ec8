import { Command, Option } from 'commander';
import type * as z from 'zod/mini';
import type { inspectSchema, snapshotSchema } from './orderbook-options.js';
import { contextFromCommand, type CommandContext } from './context.js';
import { usageError } from '../core/errors.js';
import { parseOptions } from './parse-options.js';
import type { OrderbookReport } from '../core/orderbook/inspect.js';
import type { SnapshotSummary } from '../core/orderbook/snapshot.js';
import type { Coverage } from '../core/redis/coverage.js';

/**
 * `gridctl orderbook`: is the order book sane? Depth, best prices, spread and mid from the live
 * orders, the stored metadata against the book, and an integrity audit over every member.
 */

const ACL_HELP = `
ACL permissions (see docs/orderbook.md), read-only:
  +exists +type +pttl +zcard +zrange +zrevrange +zscan +get +hgetall (metadata) +hget (order:{id} hashes)
  snapshot also writes nothing to Redis (ZRANGE in pages). Keys: ~orderbook:* ~order_book:* ~order:*
  faster audit (one read-only script per page; standalone/Sentinel): add +evalsha +eval +zrank +zcount +time
  every command +ping; Cluster also +cluster|slots +cluster|nodes`;

const EXIT_HELP = `
Exit codes: 0 no FAIL finding (WARNs allowed) · 1 FAIL findings (crossed book, unparsable members, score != price,
wrong side, duplicate ids, order:{id} disagreeing, metadata missing) or no order book found · 3 usage · 4 permission
denied · 5 unreachable`;

/** Option schemas live in orderbook-options.ts so `gridctl --help` does not load zod. */
const schemas = () => import('./orderbook-options.js');

type InspectInput = z.input<typeof inspectSchema>;
type InspectParsed = z.output<typeof inspectSchema>;

async function inspectOnce(ctx: CommandContext, client: import('../core/redis/connect.js').AnyRedis, o: InspectParsed): Promise<OrderbookReport> {
  const loaded = await ctx.loadConfig();
  const { inspectOrderbook } = await import('../core/orderbook/inspect.js');
  try {
    return await inspectOrderbook(client, loaded.config.orderbook, {
      ...(o.levels ? { levels: o.levels } : {}),
      ...(o.layout && o.layout !== 'auto' ? { layout: o.layout } : {}),
      audit: o.audit,
      checkOrderHashes: o.orderHashes,
    });
  } catch (err) {
    const { classifyRedisError } = await import('../core/redis/errors.js');
    const { GridctlError } = await import('../core/errors.js');
    if (err instanceof GridctlError) throw err;
    throw classifyRedisError(err, { endpoint: 'the order book', tls: false, hasClientCert: false, timeoutMs: ctx.timeoutMs });
  }
}

export async function runOrderbookInspect(opts: InspectInput, ctx: CommandContext): Promise<OrderbookReport & { coverage: Coverage }> {
  const o = parseOptions((await schemas()).inspectSchema, opts, 'orderbook');
  const dep = await ctx.openDeployment();
  try {
    return { ...(await inspectOnce(ctx, dep.client, o)), coverage: await dep.coverage() };
  } finally {
    await dep.close();
  }
}

/** Redraw the report in place every N seconds until Ctrl-C (exit 2, like any cancelled command). */
async function watchOrderbook(o: InspectParsed, seconds: number, ctx: CommandContext): Promise<never> {
  if (ctx.json || !ctx.out.stdoutIsTTY) throw usageError('--watch redraws a terminal; it needs stdout on a TTY and no --json', 'run it once (no --watch) when piping, or loop in the shell');
  const dep = await ctx.openDeployment();
  const { onCancel } = await import('../core/cancel.js');
  onCancel(() => dep.close());
  const { formatOrderbook } = await import('../ui/views/orderbook-view.js');
  const { setTimeout: sleep } = await import('node:timers/promises');
  for (;;) {
    const report = await inspectOnce(ctx, dep.client, o);
    // Home + clear screen: the new frame replaces the old one instead of scrolling.
    process.stdout.write(`\x1b[H\x1b[2J${formatOrderbook(report, { tty: true })}\n\nrefreshing every ${seconds}s · Ctrl-C to stop\n`);
    await sleep(seconds * 1000);
  }
}

export async function runOrderbookSnapshot(opts: z.input<typeof snapshotSchema>, ctx: CommandContext): Promise<SnapshotSummary & { coverage: Coverage }> {
  const o = parseOptions((await schemas()).snapshotSchema, opts, 'orderbook');
  const dep = await ctx.openDeployment();
  try {
    const report = await inspectOnce(ctx, dep.client, { ...o, watch: undefined });
    const { snapshotOrderbook } = await import('../core/orderbook/snapshot.js');
    const path = await import('node:path');
    const summary = await snapshotOrderbook(dep.client, report, { file: path.resolve(o.out), target: dep.spec.source, ...(o.dryRun ? { dryRun: true } : {}) });
    return { ...summary, coverage: await dep.coverage() };
  } finally {
    await dep.close();
  }
}

function sub(name: string, description: string): Command {
  // Nested commands need their own exitOverride: main.ts sets it on top-level commands only.
  return new Command(name).description(description).exitOverride();
}

function bookOptions(cmd: Command): Command {
  return cmd
    .option('--levels <n>', 'price levels per side (default 10, or orderbook.levels in gridctl.yaml)')
    .addOption(new Option('--layout <layout>', 'key layout (default: detect)').choices(['auto', 'orderbook', 'order_book']))
    .option('--no-order-hashes', 'skip the order:{id} hash comparison (done server-side in short read-only scripts, or one HGET per order on Cluster)');
}

export function orderbookCommand(): Command {
  const ob = new Command('orderbook')
    .description('inspect the order book: depth, best bid/ask, spread, mid, metadata drift, integrity audit')
    .addHelpText('after', `${EXIT_HELP}\n${ACL_HELP}\n\nDocs: docs/orderbook.md`);

  ob.addCommand(
    bookOptions(sub('inspect', 'top N levels per side, best bid/ask, spread, mid, metadata drift and age, and a full integrity audit (ZSCAN)'))
      .option('--no-audit', 'top of book and metadata only (skips the ZSCAN over every member)')
      .option('--watch [seconds]', 'redraw in place every N seconds (default 2) on a terminal')
      .addHelpText(
        'after',
        `
Depth and best prices count live orders only (parsable, on their own side, remaining > 0, not expired);
quantities are exact decimal sums of energy_amount - filled_amount. Everything else is reported by the audit.

Examples:
  $ gridctl orderbook inspect
  $ gridctl orderbook inspect --levels 5 --watch 1
  $ gridctl orderbook inspect --json | jq '.checks[] | select(.status != "PASS")'
${EXIT_HELP}`,
      )
      .action(async (opts: InspectInput, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const o = parseOptions((await schemas()).inspectSchema, opts, 'orderbook');
        if (o.watch !== undefined) await watchOrderbook(o, o.watch === true ? 2 : o.watch, ctx);
        const report = await runOrderbookInspect(opts, ctx);
        const { renderOrderbook } = await import('../ui/views/orderbook-view.js');
        renderOrderbook(report, ctx.out);
        if (report.status === 'FAIL') process.exitCode = 1;
      }),
  );

  ob.addCommand(
    bookOptions(sub('snapshot', 'save both sides, the metadata and the audit to one JSON file for the incident record'))
      .requiredOption('--out <file>', 'file to write (atomically)')
      .option('--dry-run', 'read everything, write nothing; print what would be written')
      .addHelpText('after', `\nExamples:\n  $ gridctl orderbook snapshot --out incident-4711-book.json\n${EXIT_HELP}`)
      .action(async (opts: z.input<typeof snapshotSchema>, cmd: Command) => {
        const ctx = contextFromCommand(cmd);
        const summary = await runOrderbookSnapshot(opts, ctx);
        const { renderSnapshot } = await import('../ui/views/orderbook-view.js');
        renderSnapshot(summary, ctx.out);
        if (summary.status === 'FAIL') process.exitCode = 1;
      }),
  );
  return ob;
}
