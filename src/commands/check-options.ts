import { z } from 'zod';

/** Option schema of `gridctl check`, loaded only when the command runs. */
export const optionsSchema = z.object({
  paths: z.array(z.string()),
  format: z.enum(['human', 'json', 'sarif', 'junit', 'github']),
  strict: z.boolean(),
  maxWarnings: z.number().int().min(0).optional(),
  boot: z.boolean(),
  redisServer: z.string().optional(),
  live: z.union([z.string(), z.boolean()]).optional(),
  redisVersion: z.enum(['7.0', '7.2', '7.4', 'valkey-8']).optional(),
  now: z.date().optional(),
});
