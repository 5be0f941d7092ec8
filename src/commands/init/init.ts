import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { collectAnswers, QUESTIONS, FLAG_OF } from './answers.js';
import { GridctlError } from '../../core/errors.js';
import { SERVER_VERSIONS } from '../../core/config/server-versions.js';
import { PERSISTENCE_PROFILES, PROFILES } from '../../core/config/deployment-choices.js';
import { TOPOLOGIES } from '../../core/redis/spec.js';
import { loadConfig } from '../../core/config/load.js';
import { buildInitialConfig } from '../../core/scaffold/model.js';
import { scaffold, type ScaffoldResult } from '../../core/scaffold/scaffold.js';
import { renderInit } from '../../ui/views/init-view.js';

const initOptions = z.strictObject({
  /** Output directory (fresh init). */
  dir: z.optional(z.string().check(z.minLength(1))),
  /** Re-render from this gridctl.yaml (files go next to it). */
  from: z.optional(z.string().check(z.minLength(1))),
  name: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -'))),
  profile: z.optional(z.enum(PROFILES)),
  topology: z.optional(z.enum(TOPOLOGIES)),
  tls: z.optional(z.boolean()),
  maxmemory: z.optional(z.string().check(z.regex(/^\d+(kb|mb|gb|k|m|g)?$/i, 'a size such as 512mb or 2gb'))),
  persistence: z.optional(z.enum(PERSISTENCE_PROFILES)),
  serverVersion: z.optional(z.enum(SERVER_VERSIONS)),
  dryRun: z.boolean(),
  force: z.boolean(),
  rotateSecrets: z.boolean(),
});

export type InitOptions = z.infer<typeof initOptions>;

/** `gridctl init`: gridctl.yaml from answers, flags or defaults, and every file rendered from it; --from re-renders. */
export default defineCommand({
  options: initOptions,
  async run(opts: InitOptions, ctx): Promise<ScaffoldResult> {
    const common = { dryRun: opts.dryRun, force: opts.force, rotateSecrets: opts.rotateSecrets };
    if (opts.from) {
      const answered = QUESTIONS.filter((q) => q !== 'dir' && opts[q] !== undefined);
      if (answered.length || opts.name) {
        throw new GridctlError('USAGE', `--from re-renders gridctl.yaml as it is; ${[...answered.map((q) => FLAG_OF[q]), ...(opts.name ? ['--name'] : [])].join(', ')} cannot be combined with it`, {
          hint: 'edit gridctl.yaml instead, then run `gridctl init --from gridctl.yaml`',
        });
      }
      const loaded = await loadConfig(path.resolve(ctx.cwd, opts.from), { required: true, label: opts.from });
      return scaffold({ outDir: opts.dir ? path.resolve(ctx.cwd, opts.dir) : path.dirname(loaded.path!), config: loaded.config, writeModel: false, ...common });
    }
    const answers = await collectAnswers(opts, ctx);
    return scaffold({ outDir: path.resolve(ctx.cwd, answers.dir), config: buildInitialConfig(answers), writeModel: true, ...common });
  },
  render: (result, out) => renderInit(result, out),
});
