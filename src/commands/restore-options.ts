import { z } from 'zod';

/** Option schema of `gridctl restore`, loaded only when the command runs. */
export const restoreOptionsSchema = z.strictObject({
  onConflict: z.enum(['fail', 'skip', 'replace']).default('fail'),
  dryRun: z.boolean().optional(),
  match: z.string().min(1).optional(),
  encryptKeyFile: z.string().min(1).optional(),
  sample: z.coerce.number().int().min(0).max(100000).optional(),
  batchMs: z.coerce.number().positive().max(1000).optional(),
});
