import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { upLocal } from '../../core/local/up.js';
import { upFromScaffold } from '../../core/local/from-scaffold.js';
import { DEFAULT_RUN_DIR, type LocalState } from '../../core/local/state.js';
import { TOPOLOGIES } from '../../core/redis/spec.js';
import { renderUp } from '../../ui/views/up-view.js';

const upOptions = z.strictObject({
  topology: z._default(z.enum(TOPOLOGIES), 'standalone'),
  tls: z._default(z.boolean(), false),
  acl: z._default(z.boolean(), false),
  from: z.optional(z.string().check(z.minLength(1))),
});

/** `gridctl up`: start a local topology (or the files `init` rendered) and say how to reach it. */
export default defineCommand({
  options: upOptions,
  async run(opts, ctx): Promise<LocalState> {
    const dir = ctx.global.runDir ?? DEFAULT_RUN_DIR;
    const onProgress = (message: string) => ctx.out.info(message);
    if (opts.from) return upFromScaffold({ from: opts.from, dir, onProgress });
    const masterName = ctx.global.masterName;
    return upLocal({ topology: opts.topology, dir, tls: opts.tls, acl: opts.acl, ...(masterName ? { masterName } : {}), onProgress });
  },
  render: (state, out) => renderUp(state, out),
});
