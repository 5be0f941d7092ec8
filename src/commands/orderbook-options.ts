import * as z from './option-schema.js';

/** Option schemas of `gridctl orderbook`, loaded only when an orderbook command runs. */
export const inspectSchema = z.object({
  levels: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
  layout: z.optional(z.enum(['auto', 'orderbook', 'order_book'])),
  audit: z._default(z.boolean(), true),
  orderHashes: z._default(z.boolean(), true),
  watch: z.optional(z.union([z.literal(true), z.coerce.number().check(z.positive(), z.maximum(3600))])),
});

export const snapshotSchema = z.extend(z.omit(inspectSchema, { watch: true }), { out: z.string().check(z.minLength(1)), dryRun: z.optional(z.boolean()) });
