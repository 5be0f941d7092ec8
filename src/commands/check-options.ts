import * as z from './option-schema.js';

/** Option schema of `gridctl check`, loaded only when the command runs. */
export const optionsSchema = z.object({
  paths: z.array(z.string()),
  format: z.enum(['human', 'json', 'sarif', 'junit', 'github']),
  strict: z.boolean(),
  maxWarnings: z.optional(z.number().check(z.int(), z.minimum(0))),
  boot: z.boolean(),
  redisServer: z.optional(z.string()),
  live: z.optional(z.union([z.string(), z.boolean()])),
  redisVersion: z.optional(z.enum(['7.0', '7.2', '7.4', 'valkey-8'])),
  now: z.optional(z.date()),
});
