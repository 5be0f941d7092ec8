import { GridctlError } from '../core/errors.js';

export interface ConfirmContext {
  yes: boolean;
  interactive: boolean;
}

/**
 * The one gate before a destructive action: --yes passes; on a terminal the operator is asked
 * (default no, on stderr so stdout stays data); otherwise it fails at once with exit 3, so a cron
 * job never hangs on a prompt. Returns the answer.
 */
export async function confirmDestructive(ctx: ConfirmContext, question: string, whenNotInteractive: { what: string; hint: string }): Promise<boolean> {
  if (ctx.yes) return true;
  if (!ctx.interactive) {
    throw new GridctlError('CONFIRMATION_REQUIRED', `--yes required to ${whenNotInteractive.what} when not running interactively`, { hint: whenNotInteractive.hint });
  }
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: question, default: false }, { output: process.stderr });
}
