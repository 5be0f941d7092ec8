import * as z from '../option-schema.js';

/** Option schema of `gridctl restore FILE`. */
export const restoreOptions = z.strictObject({
  file: z.string().check(z.minLength(1)),
  onConflict: z._default(z.enum(['fail', 'skip', 'replace']), 'fail'),
  dryRun: z.optional(z.boolean()),
  match: z.optional(z.string().check(z.minLength(1))),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
  skipOtherDbs: z.optional(z.boolean()),
  checkRdb: z.optional(z.boolean()),
  sample: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(100000))),
  batchMs: z.optional(z.coerce.number().check(z.positive(), z.maximum(1000))),
});

export type RestoreFlags = z.infer<typeof restoreOptions>;
