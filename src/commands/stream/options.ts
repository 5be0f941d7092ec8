import * as z from '../option-schema.js';
import { durationMs } from '../duration-option.js';

const format = z.optional(z.enum(['table', 'json', 'prometheus']));
const name = z.string().check(z.minLength(1));
const count = (max: number) => z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max));

export const streamListOptions = z.strictObject({ match: z.optional(name), format });

export const streamInspectOptions = z.strictObject({ stream: name, format, strict: z.optional(z.boolean()) });

export const streamPendingOptions = z.strictObject({
  stream: name,
  group: name,
  consumer: z.optional(name),
  minIdle: z.optional(durationMs()),
  minDeliveries: z.optional(count(1_000_000)),
  limit: z._default(count(1_000_000), 100),
  format: z.optional(z.enum(['table', 'json'])),
});

export const streamClaimOptions = z.strictObject({
  stream: name,
  group: name,
  to: name,
  minIdle: durationMs(),
  limit: z._default(count(1_000_000), 10_000),
  dryRun: z.optional(z.boolean()),
});

export const streamDeadLetterOptions = z.strictObject({
  stream: name,
  group: name,
  to: z.optional(name),
  minDeliveries: z.optional(z.coerce.number().check(z.int(), z.minimum(2), z.maximum(1_000_000))),
  minIdle: z.optional(durationMs()),
  consumer: z.optional(name),
  limit: z._default(count(1_000_000), 10_000),
  dryRun: z.optional(z.boolean()),
});

export const streamTrimOptions = z
  .strictObject({
    stream: name,
    maxlen: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
    minid: z.optional(z.string().check(z.regex(/^\d+(-\d+)?$/, 'expected a stream id such as 1733570000000-0 (or just the milliseconds)'))),
    dryRun: z.optional(z.boolean()),
  })
  .check(
    z.refine((o) => (o.maxlen === undefined) !== (o.minid === undefined), { message: 'give exactly one of --maxlen N or --minid ID', path: ['maxlen'] }),
  );

