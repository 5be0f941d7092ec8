import * as z from '../option-schema.js';

/** Option schema of `gridctl backup`. */
export const backupOptions = z.strictObject({
  dir: z.optional(z.string().check(z.minLength(1))),
  mode: z.optional(z.enum(['logical', 'rdb'])),
  keep: z.optional(z.coerce.number().check(z.int(), z.minimum(1, '--keep must be at least 1'))),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
  fromReplica: z.optional(z.boolean()),
  match: z.optional(z.string().check(z.minLength(1))),
  maxRate: z.optional(z.coerce.number().check(z.int(), z.positive('--max-rate must be a positive number of keys per second'))),
  batchMs: z.optional(z.coerce.number().check(z.positive(), z.maximum(1000))),
  dryRun: z.optional(z.boolean()),
});


export type BackupFlags = z.infer<typeof backupOptions>;
