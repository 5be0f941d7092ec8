import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { GridctlError } from '../../core/errors.js';
import { aclDiff, type AclDiffReport } from '../../core/acl/acl-diff.js';
import { renderAclDiff } from '../../ui/views/acl-diff-view.js';

export const aclDiffOptions = z.strictObject({
  aclFile: z.optional(z.string().check(z.minLength(1))),
});

/** --acl-file, else users.acl next to gridctl.yaml when there is one. */
async function aclFileFor(flag: string | undefined, ctx: CommandContext): Promise<{ path: string; text: string } | undefined> {
  const loaded = await ctx.loadConfig();
  const file = flag ? path.resolve(ctx.cwd, flag) : loaded.path ? path.join(await ctx.configDir(), 'users.acl') : undefined;
  if (!file || (!flag && !(await access(file).then(() => true, () => false)))) return undefined;
  try {
    return { path: file, text: await readFile(file, 'utf8') };
  } catch (err) {
    throw new GridctlError('CONFIG_NOT_FOUND', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'check --acl-file' });
  }
}

/** `gridctl acl diff`: drift exits 1. */
export default defineCommand({
  options: aclDiffOptions,
  async run(opts, ctx): Promise<AclDiffReport> {
    const file = await aclFileFor(opts.aclFile, ctx);
    const dep = await ctx.openDeployment();
    try {
      return await aclDiff(dep, file);
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderAclDiff(report, out),
  verdict: (report) => (report.drift ? 1 : 0),
});
