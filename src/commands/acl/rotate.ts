import { access } from 'node:fs/promises';
import path from 'node:path';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { usageError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { ROLES } from '../../core/config/schema-deployment.js';
import { rotateAclUser, type RotateOptions } from '../../core/acl/rotate.js';
import type { RotationReport } from '../../core/acl/rotation-report.js';
import { formatAuthFailure, renderRotation, rotationQuestion } from '../../ui/views/acl-rotate-view.js';
import { rotateOptions, DEFAULT_WATCH, type RotateFlags } from './options.js';

const exists = (file: string) => access(file).then(() => true, () => false);

/** The files gridctl keeps for this user next to gridctl.yaml (only when there is one), unless a flag names them. */
async function rotationFiles(flags: RotateFlags, ctx: CommandContext): Promise<Pick<RotateOptions, 'stateFile' | 'secretFile' | 'aclFile' | 'includeFiles'>> {
  const loaded = await ctx.loadConfig();
  const dir = await ctx.configDir();
  const fromFlag = (f: string | undefined) => (f === undefined ? undefined : path.resolve(ctx.cwd, f));
  const role = ROLES.find((r) => (loaded.config.users?.[r]?.name ?? r) === flags.user);
  const roleSecret = loaded.path && role ? path.join(dir, 'secrets', `${role}.env`) : undefined;
  const secretFile = fromFlag(flags.secretFile) ?? (roleSecret && (await exists(roleSecret)) ? roleSecret : undefined);
  const defaultAcl = path.join(dir, 'users.acl');
  const aclFile = fromFlag(flags.aclFile) ?? (loaded.path && (await exists(defaultAcl)) ? defaultAcl : undefined);
  return {
    stateFile: fromFlag(flags.stateFile) ?? path.join(dir, '.gridctl', `acl-rotate-${flags.user}.json`),
    ...(secretFile ? { secretFile } : {}),
    ...(aclFile ? { aclFile } : {}),
    includeFiles: loaded.path ? ['replication.conf', 'sentinel.conf'].map((f) => path.join(dir, 'secrets', f)) : [],
  };
}

function actionOf(flags: RotateFlags): RotateOptions['action'] {
  if (flags.finish && flags.rollback) throw usageError('--finish and --rollback do not go together', 'finish the rotation, or roll it back');
  if (flags.force && !flags.finish) throw usageError('--force goes with --finish', 'it lets --finish remove the old password while old connections remain');
  if (flags.watch !== undefined && !flags.finish) throw usageError('--watch goes with --finish', 'it watches ACL LOG after the old password is removed');
  return flags.finish ? 'finish' : flags.rollback ? 'rollback' : 'start';
}

/** `gridctl acl rotate USER [--finish | --rollback]`: one phase of a password rotation on every node. */
export default defineCommand({
  options: rotateOptions,
  async run(flags, ctx): Promise<RotationReport> {
    const action = actionOf(flags);
    const watchMs = parseDuration(flags.watch ?? DEFAULT_WATCH, '--watch');
    const files = await rotationFiles(flags, ctx);
    const dep = await ctx.openDeployment();
    try {
      return await rotateAclUser(dep, {
        user: flags.user,
        action,
        dryRun: Boolean(flags.dryRun),
        force: Boolean(flags.force),
        ...files,
        ...(flags.newPasswordFile ? { newPasswordFile: path.resolve(ctx.cwd, flags.newPasswordFile) } : {}),
        watchMs,
        confirm: (plan) =>
          ctx.ui.confirmDestructive(rotationQuestion(plan), {
            what: `change the password of ACL user "${flags.user}" on a live deployment`,
            hint: 'check with --dry-run first, then re-run with --yes',
          }),
        onAuthFailure: (f) => ctx.out.warn(formatAuthFailure(f)),
      });
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderRotation(report, out),
  verdict: (report) => (report.declined ? 2 : report.refused || !(report.complete || report.dryRun) ? 1 : 0),
});
