import { z } from 'zod';

/** Option schemas of `gridctl backup`, loaded only when the command runs. */
export const backupOptionsSchema = z.strictObject({
  dir: z.string().min(1).optional(),
  mode: z.enum(['logical', 'rdb']).optional(),
  keep: z.coerce.number().int().min(1, '--keep must be at least 1').optional(),
  encryptKeyFile: z.string().min(1).optional(),
  fromReplica: z.boolean().optional(),
  match: z.string().min(1).optional(),
  maxRate: z.coerce.number().int().positive('--max-rate must be a positive number of keys per second').optional(),
  batchMs: z.coerce.number().positive().max(1000).optional(),
  dryRun: z.boolean().optional(),
});

export const verifyOptionsSchema = z.strictObject({ encryptKeyFile: z.string().min(1).optional() });
