import { GridctlError } from '../core/errors.js';
import type { CommandContext } from './context.js';

/**
 * The gate before a command changes a live server: --yes passes, a terminal is asked, anything
 * else fails (exit 3); a "no" is a cancellation (exit 2) with nothing changed.
 */
export async function confirmChange(ctx: CommandContext, question: string, what: string): Promise<void> {
  const ok = await ctx.ui.confirmDestructive(question, { what, hint: 'see what would change with --dry-run, then re-run with --yes' });
  if (!ok) throw new GridctlError('CANCELLED', 'declined; nothing was changed');
}
