import { z } from 'zod';

/** Option schema of `gridctl memory`, loaded only when the command runs. */
export const flagsSchema = z.strictObject({
  match: z.string().min(1).optional(),
  replicas: z.boolean().optional(),
  samples: z.coerce.number().int().min(0).optional(),
  sample: z.coerce.number().gt(0, 'must be > 0').max(1, 'must be at most 1').optional(),
  depth: z.coerce.number().int().min(1).max(10).optional(),
  top: z.coerce.number().int().min(1).max(1000).optional(),
  bigKeyBytes: z.string().min(1).optional(),
  bigKeyElements: z.coerce.number().int().min(1).optional(),
  baseline: z.string().min(1).optional(),
  failOn: z.enum(['info', 'warning', 'critical', 'never']).optional(),
  maxRate: z.coerce.number().int().min(1).optional(),
  batchMs: z.coerce.number().positive().max(1000).optional(),
  technique: z.enum(['auto', 'script', 'pipeline']).optional(),
});
