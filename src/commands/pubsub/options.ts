import * as z from '../option-schema.js';
import { durationMs } from '../duration-option.js';

const format = z.optional(z.enum(['table', 'json', 'prometheus']));

export const pubsubChannelsOptions = z.strictObject({ pattern: z.optional(z.string().check(z.minLength(1))), format });

export const pubsubBuffersOptions = z.strictObject({ warnPercent: z.optional(z.coerce.number().check(z.minimum(1), z.maximum(100))), format });

export const pubsubWatchOptions = z.strictObject({
  pattern: z.string().check(z.minLength(1)),
  duration: z._default(durationMs().check(z.refine((ms: number) => ms > 0 && ms <= 3_600_000, 'must be more than 0 and at most 1h')), 10_000),
  showPayloads: z.optional(z.boolean()),
  format: z.optional(z.enum(['table', 'json'])),
});

