import * as z from '../option-schema.js';
import type { CommandContext } from '../context.js';
import { GridctlError } from '../../core/errors.js';
import { classifyRedisError } from '../../core/redis/errors.js';
import { inspectOrderbook, type OrderbookReport } from '../../core/orderbook/inspect.js';
import type { AnyRedis } from '../../core/redis/connect.js';

/** The flags `orderbook inspect` and `orderbook snapshot` share: which book, how deep, how thorough. */
export const bookOptions = {
  levels: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
  layout: z.optional(z.enum(['auto', 'orderbook', 'order_book'])),
  audit: z._default(z.boolean(), true),
  orderHashes: z._default(z.boolean(), true),
};

export interface BookOptions {
  levels?: number | undefined;
  layout?: 'auto' | 'orderbook' | 'order_book' | undefined;
  audit: boolean;
  orderHashes: boolean;
}

/** One read of the book with gridctl.yaml's orderbook settings; Redis errors get the house's exit codes. */
export async function readBook(ctx: CommandContext, client: AnyRedis, o: BookOptions): Promise<OrderbookReport> {
  const loaded = await ctx.loadConfig();
  try {
    return await inspectOrderbook(client, loaded.config.orderbook, {
      ...(o.levels ? { levels: o.levels } : {}),
      ...(o.layout && o.layout !== 'auto' ? { layout: o.layout } : {}),
      audit: o.audit,
      checkOrderHashes: o.orderHashes,
    });
  } catch (err) {
    if (err instanceof GridctlError) throw err;
    throw classifyRedisError(err, { endpoint: 'the order book', tls: false, hasClientCert: false, timeoutMs: ctx.timeoutMs });
  }
}
