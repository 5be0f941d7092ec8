import type { AnyRedis } from '../redis/connect.js';
import type { OrderbookConfig } from '../config/schema-incident.js';
import { GridctlError } from '../errors.js';

/**
 * Where the book lives. Two spellings exist (DESIGN.md): the seed checklist's `orderbook:*` with a
 * hash metadata, and the running gateway's `order_book:*` with a JSON-string metadata.
 */
export type BookLayout = 'orderbook' | 'order_book';

export interface BookKeys {
  layout: BookLayout;
  buy: string;
  sell: string;
  metadata: string;
  orderKeyPrefix: string;
}

export const LAYOUT_KEYS: Record<BookLayout, Pick<BookKeys, 'buy' | 'sell' | 'metadata'>> = {
  orderbook: { buy: 'orderbook:buy', sell: 'orderbook:sell', metadata: 'orderbook:metadata' },
  order_book: { buy: 'order_book:buy', sell: 'order_book:sell', metadata: 'order_book:metadata' },
};

const DEFAULT_ORDER_KEY_PREFIX = 'order:';
export const DEFAULT_LEVELS = 10;

export interface ResolvedBook {
  keys: BookKeys;
  /** Notes for the report, e.g. both layouts present. */
  notes: string[];
}

/**
 * Pick the layout: as configured, or (auto) the one whose keys exist. When both exist the running
 * gateway's `order_book:*` wins and the report says so; when neither exists there is no book to inspect.
 */
export async function resolveBookKeys(client: AnyRedis, config: OrderbookConfig | undefined, forced?: BookLayout): Promise<ResolvedBook> {
  const notes: string[] = [];
  const prefix = config?.orderKeyPrefix ?? DEFAULT_ORDER_KEY_PREFIX;
  const wanted = forced ?? (config?.layout && config.layout !== 'auto' ? config.layout : undefined);
  let layout: BookLayout;
  if (wanted) {
    layout = wanted;
  } else {
    const present = async (l: BookLayout) => {
      const k = { ...LAYOUT_KEYS[l], ...stripUndefined(config?.keys ?? {}) };
      // One EXISTS per key: in a Cluster the three keys hash to different slots.
      const counts = await Promise.all([k.buy, k.sell, k.metadata].map((key) => client.exists(key)));
      return counts.some((c) => c > 0);
    };
    const [seed, gateway] = await Promise.all([present('orderbook'), present('order_book')]);
    if (!seed && !gateway) {
      throw new GridctlError('NOT_FOUND', 'no order book found: none of orderbook:buy|sell|metadata or order_book:buy|sell|metadata exists', {
        hint: 'check --url/--target and the database; other key names go in gridctl.yaml under orderbook.keys',
      });
    }
    layout = gateway ? 'order_book' : 'orderbook';
    if (seed && gateway) notes.push('both layouts exist (orderbook:* and order_book:*); inspecting order_book:* (the running gateway); pass --layout orderbook for the other');
  }
  return { keys: { layout, ...LAYOUT_KEYS[layout], ...stripUndefined(config?.keys ?? {}), orderKeyPrefix: prefix }, notes };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
