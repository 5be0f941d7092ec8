import * as z from '../option-schema.js';
import { durationMs } from '../duration-option.js';
import { GROUP_DIMENSIONS, type GroupDimension } from '../../core/clients/types.js';

const by = z.pipe(
  z.string().check(
    z.refine((v: string) => v.split(',').every((d) => (GROUP_DIMENSIONS as readonly string[]).includes(d.trim())), `expected a comma-separated list of ${GROUP_DIMENSIONS.join(', ')}`),
  ),
  z.transform((v: string) => [...new Set(v.split(',').map((d) => d.trim()))] as GroupDimension[]),
);

export const clientsOptions = z.strictObject({
  by: z._default(by, () => [...GROUP_DIMENSIONS]),
  poolSize: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  format: z.optional(z.enum(['table', 'json', 'prometheus'])),
});

export const clientsKillOptions = z.strictObject({
  idle: durationMs().check(z.refine((ms: number) => ms >= 1000, 'must be at least 1s (CLIENT LIST counts idle time in seconds)')),
  clientUser: z.optional(z.string().check(z.minLength(1))),
  addr: z.optional(z.string().check(z.minLength(1))),
  dryRun: z.optional(z.boolean()),
});

