import * as z from '../option-schema.js';

/** Option schema of `gridctl memory`, loaded only when the command runs. */
export const memoryOptions = z.strictObject({
  match: z.optional(z.string().check(z.minLength(1))),
  replicas: z.optional(z.boolean()),
  samples: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  sample: z.optional(z.coerce.number().check(z.gt(0, 'must be > 0'), z.maximum(1, 'must be at most 1'))),
  depth: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10))),
  top: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
  bigKeyBytes: z.optional(z.string().check(z.minLength(1))),
  bigKeyElements: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  baseline: z.optional(z.string().check(z.minLength(1))),
  failOn: z.optional(z.enum(['info', 'warning', 'critical', 'never'])),
  maxRate: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  batchMs: z.optional(z.coerce.number().check(z.positive(), z.maximum(1000))),
  technique: z.optional(z.enum(['auto', 'script', 'pipeline'])),
  format: z.optional(z.enum(['table', 'json', 'prometheus'])),
  from: z.optional(z.string().check(z.minLength(1))),
  allocator: z.optional(z.enum(['auto', 'bundled', 'system'])),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
});

export type MemoryFlags = z.infer<typeof memoryOptions>;

/** What a flag or gridctl.yaml `memoryAnalysis` leaves unset. */
export const MEMORY_DEFAULTS = {
  samples: 5,
  prefixDepth: 2,
  top: 10,
  bigKeyBytes: '10mb',
  bigKeyElements: 100_000,
  batchBudgetMs: 5,
  failOn: 'critical',
} as const;
