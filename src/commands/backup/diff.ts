import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { DEFAULT_NAMESPACES } from '../../core/config/defaults.js';
import { parseSize } from '../../core/memory/parse-size.js';
import { diffBackups } from '../../core/offline/diff/backup-diff.js';
import type { BackupDiffReport } from '../../core/offline/diff/diff-types.js';
import { MEMORY_DEFAULTS } from '../memory/options.js';
import { renderBackupDiff } from '../../ui/views/backup-diff-view.js';

const diffOptions = z.strictObject({
  before: z.string().check(z.minLength(1)),
  after: z.string().check(z.minLength(1)),
  keys: z.optional(z.string().check(z.minLength(1))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000_000))),
  match: z.optional(z.string().check(z.minLength(1))),
  depth: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10))),
  bigKeyBytes: z.optional(z.string().check(z.minLength(1))),
  bigKeyElements: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  allocator: z.optional(z.enum(['auto', 'bundled', 'system'])),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
  format: z.optional(z.enum(['table', 'json'])),
});

/** `gridctl backup diff A B`: two backups compared by namespace; no server is contacted. */
export default defineCommand({
  options: diffOptions,
  async run(opts, ctx): Promise<BackupDiffReport> {
    const loaded = await ctx.loadConfig();
    const file = loaded.config.memoryAnalysis ?? {};
    return diffBackups(path.resolve(ctx.cwd, opts.before), path.resolve(ctx.cwd, opts.after), {
      namespaces: loaded.config.namespaces ?? DEFAULT_NAMESPACES,
      prefixDepth: opts.depth ?? file.prefixDepth ?? MEMORY_DEFAULTS.prefixDepth,
      bigKeyBytes: parseSize(opts.bigKeyBytes ?? file.bigKeyBytes ?? MEMORY_DEFAULTS.bigKeyBytes, '--big-key-bytes'),
      bigKeyElements: opts.bigKeyElements ?? file.bigKeyElements ?? MEMORY_DEFAULTS.bigKeyElements,
      allocator: opts.allocator ?? 'auto',
      ...(opts.match ? { match: opts.match } : {}),
      ...(opts.keys ? { keysOf: opts.keys } : {}),
      ...(opts.limit ? { keyLimit: opts.limit } : {}),
      ...(opts.encryptKeyFile ? { encryptKeyFile: path.resolve(ctx.cwd, opts.encryptKeyFile) } : {}),
    });
  },
  render: (report, out) => renderBackupDiff(report, out),
});
