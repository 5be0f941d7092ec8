import { z } from 'zod';

/** Option schemas of `gridctl lock`, loaded only when a lock command runs. */
export const durationText = z.string().min(1);
export const nameArg = z.string().min(1, 'the lock NAME must not be empty');
export const redlockText = z.string().min(1).optional();

export const listSchema = z.object({ pattern: z.array(z.string().min(1)).optional(), expiringBelow: durationText.optional() });
export const keySchema = z.object({ key: z.boolean().optional() });
export const acquireSchema = keySchema.extend({ ttl: durationText, wait: durationText.default('0'), redlock: redlockText });
export const extendSchema = keySchema.extend({ ttl: durationText, token: z.string().min(1), redlock: redlockText });
export const releaseSchema = keySchema
  .extend({ token: z.string().min(1).optional(), force: z.boolean().optional(), reason: z.string().optional(), dryRun: z.boolean().optional(), redlock: redlockText })
  .refine((o) => Boolean(o.token) !== Boolean(o.force), { message: 'give exactly one of --token T (safe release) or --force' })
  .refine((o) => !(o.force && o.redlock), { message: '--force works on one deployment; use --token with --redlock' });
