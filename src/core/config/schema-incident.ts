import { z } from 'zod';

/**
 * gridctl.yaml sections for the incident tools (`gridctl lock`, `gridctl orderbook`). Strict like
 * the rest of the schema; defaults live in the core modules that use them (lock/settings.ts,
 * orderbook/layout.ts) so a value written here is never hidden by a default.
 */

const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 500ms, 5s, 2m');

export const lockConfigSchema = z.strictObject({
  patterns: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('SCAN MATCH patterns of lock keys, searched on every master (default ["lock:*"]).'),
  prefix: z.string().optional().describe('Prefix that turns a lock NAME into its key (default "lock:").'),
  expiringBelow: duration.optional().describe('A lock with less TTL left than this is reported "expiring" (default 5s).'),
  auditLog: z
    .string()
    .optional()
    .describe('JSON-lines file that `lock release --force` appends to (default $XDG_STATE_HOME/gridctl/audit.jsonl).'),
});

export const orderbookConfigSchema = z.strictObject({
  layout: z
    .enum(['auto', 'orderbook', 'order_book'])
    .optional()
    .describe('auto (default): detect; orderbook = seed layout with a hash metadata; order_book = the running gateway (JSON-string metadata).'),
  keys: z
    .strictObject({
      buy: z.string().min(1).optional(),
      sell: z.string().min(1).optional(),
      metadata: z.string().min(1).optional(),
    })
    .optional()
    .describe('Explicit key names; override the layout\'s names.'),
  orderKeyPrefix: z.string().optional().describe('Prefix of the per-order hashes, field data = order JSON (default "order:").'),
  levels: z.number().int().min(1).max(1000).optional().describe('Price levels per side shown by inspect (default 10).'),
});

export type LockConfig = z.infer<typeof lockConfigSchema>;
export type OrderbookConfig = z.infer<typeof orderbookConfigSchema>;
