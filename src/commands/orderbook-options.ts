import { z } from 'zod';

/** Option schemas of `gridctl orderbook`, loaded only when an orderbook command runs. */
export const inspectSchema = z.object({
  levels: z.coerce.number().int().min(1).max(1000).optional(),
  layout: z.enum(['auto', 'orderbook', 'order_book']).optional(),
  audit: z.boolean().default(true),
  orderHashes: z.boolean().default(true),
  watch: z.union([z.literal(true), z.coerce.number().positive().max(3600)]).optional(),
});
export const snapshotSchema = inspectSchema.omit({ watch: true }).extend({ out: z.string().min(1), dryRun: z.boolean().optional() });
