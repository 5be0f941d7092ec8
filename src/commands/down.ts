import { Command } from 'commander';
import { contextFromCommand, type CommandContext } from './context.js';
import type { DownResult } from '../core/local/up.js';

/** `gridctl down`: stop exactly what `gridctl up` started and remove its run directory. */
export async function runDown(opts: { runDir: string }, _ctx: CommandContext): Promise<DownResult> {
  const { downLocal } = await import('../core/local/up.js');
  return downLocal(opts.runDir);
}

export function downCommand(): Command {
  return new Command('down')
    .description('stop the local deployment started by `gridctl up` and remove its run directory')
    .addHelpText(
      'after',
      `
Stops exactly the pids recorded in <run-dir>/state.json (each checked to still be that Redis
process), sentinels first, then removes the run directory. Running it when nothing is up is not an error.

Exit codes: 0 stopped (or nothing was running)

Examples:
  $ gridctl down
  $ gridctl down --run-dir /tmp/ci-redis --json`,
    )
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextFromCommand(cmd);
      const { DEFAULT_RUN_DIR } = await import('../core/local/state.js');
      const result = await runDown({ runDir: ctx.global.runDir ?? DEFAULT_RUN_DIR }, ctx);
      if (ctx.json) ctx.out.printJson(result);
      else if (!result.found) ctx.out.info(`nothing is running from ${result.dir}`);
      else ctx.out.info(`stopped ${result.stopped.length} process${result.stopped.length === 1 ? '' : 'es'}; removed ${result.dir}`);
    });
}
