import * as z from './option-schema.js';

/** Option schemas of `gridctl lock`, loaded only when a lock command runs. */
export const durationText = z.string().check(z.minLength(1));
export const nameArg = z.string().check(z.minLength(1, 'the lock NAME must not be empty'));
export const redlockText = z.optional(z.string().check(z.minLength(1)));
export const listSchema = z.object({ pattern: z.optional(z.array(z.string().check(z.minLength(1)))), expiringBelow: z.optional(durationText) });
export const keySchema = z.object({ key: z.optional(z.boolean()) });
export const acquireSchema = z.extend(keySchema, { ttl: durationText, wait: z._default(durationText, '0'), redlock: redlockText });
export const extendSchema = z.extend(keySchema, { ttl: durationText, token: z.string().check(z.minLength(1)), redlock: redlockText });
export const releaseSchema = z
  .extend(keySchema, {
    token: z.optional(z.string().check(z.minLength(1))),
    force: z.optional(z.boolean()),
    reason: z.optional(z.string()),
    dryRun: z.optional(z.boolean()),
    redlock: redlockText,
  })
  .check(
    z.refine((o) => Boolean(o.token) !== Boolean(o.force), { message: 'give exactly one of --token T (safe release) or --force' }),
    z.refine((o) => !(o.force && o.redlock), { message: '--force works on one deployment; use --token with --redlock' }),
  );
