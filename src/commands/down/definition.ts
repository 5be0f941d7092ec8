import { Command } from 'commander';

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
    );
}
