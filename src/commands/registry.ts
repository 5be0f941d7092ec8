import type { Command } from 'commander';
import { bindAction, type CommandLoader } from './define-command.js';
import { initCommand } from './init.js';
import { upCommand } from './up/definition.js';
import { downCommand } from './down/definition.js';
import { healthCommand } from './health/definition.js';
import { lockCommand } from './lock.js';
import { orderbookCommand } from './orderbook.js';
import { memoryCommand } from './memory/definition.js';
import { backupCommand } from './backup/definition.js';
import { restoreCommand } from './restore/definition.js';
import { checkCommand } from './check.js';
import { drillCommand } from './drill/definition.js';
import { helpCommand } from './help/definition.js';

/**
 * Every command, in the order `gridctl --help` lists them: its definition (flags and help, cheap to
 * build) and the module that implements it, imported only when it runs, so `gridctl --help`
 * loads neither ioredis nor zod. A command with subcommands names a module per subcommand.
 */
export interface Registration {
  define: () => Command;
  load?: CommandLoader;
  subcommands?: Record<string, CommandLoader>;
}

export const COMMANDS: Registration[] = [
  { define: initCommand },
  { define: upCommand, load: () => import('./up/up.js') },
  { define: downCommand, load: () => import('./down/down.js') },
  { define: healthCommand, load: () => import('./health/health.js') },
  { define: lockCommand },
  { define: orderbookCommand },
  { define: memoryCommand, load: () => import('./memory/memory.js') },
  { define: backupCommand, load: () => import('./backup/backup.js'), subcommands: { verify: () => import('./backup/verify.js') } },
  { define: restoreCommand, load: () => import('./restore/restore.js') },
  { define: drillCommand, subcommands: { restore: () => import('./drill/restore.js'), failover: () => import('./drill/failover.js') } },
  { define: checkCommand },
  { define: helpCommand, load: () => import('./help/help.js') },
];

/** Build each registered command with its action bound to the harness. */
export function buildCommands(): Command[] {
  return COMMANDS.map((registration) => {
    const command = registration.define();
    if (registration.load) bindAction(command, registration.load);
    for (const [name, load] of Object.entries(registration.subcommands ?? {})) {
      const sub = command.commands.find((c) => c.name() === name);
      if (!sub) throw new Error(`registry: ${command.name()} has no subcommand ${name}`);
      bindAction(sub, load);
    }
    return command;
  });
}
