import * as z from '../option-schema.js';

/** Option schema of `gridctl acl rotate USER`. */
export const rotateOptions = z.strictObject({
  user: z.string().check(z.regex(/^[^\s]+$/, 'an ACL user name has no spaces')),
  finish: z.optional(z.boolean()),
  rollback: z.optional(z.boolean()),
  force: z.optional(z.boolean()),
  dryRun: z.optional(z.boolean()),
  newPasswordFile: z.optional(z.string().check(z.minLength(1))),
  secretFile: z.optional(z.string().check(z.minLength(1))),
  aclFile: z.optional(z.string().check(z.minLength(1))),
  stateFile: z.optional(z.string().check(z.minLength(1))),
  watch: z.optional(z.string().check(z.minLength(1))),
});

export type RotateFlags = z.infer<typeof rotateOptions>;

/** How long --finish watches ACL LOG when --watch is not given. */
export const DEFAULT_WATCH = '10s';
