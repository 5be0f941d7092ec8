import type { Command } from 'commander';
import { bindAction, type CommandLoader } from './define-command.js';
import { initCommand } from './init/definition.js';
import { upCommand } from './up/definition.js';
import { downCommand } from './down/definition.js';
import { healthCommand } from './health/definition.js';
import { lockCommand } from './lock/definition.js';
import { orderbookCommand } from './orderbook/definition.js';
import { memoryCommand } from './memory/definition.js';
import { backupCommand } from './backup/definition.js';
import { restoreCommand } from './restore/definition.js';
import { checkCommand } from './check/definition.js';
import { drillCommand } from './drill/definition.js';
import { helpCommand } from './help/definition.js';
import { streamCommand } from './stream/definition.js';
import { pubsubCommand } from './pubsub/definition.js';
import { clientsCommand } from './clients/definition.js';
import { aclCommand } from './acl/definition.js';
import { securityCommand } from './security/definition.js';

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
  { define: initCommand, load: () => import('./init/init.js') },
  { define: upCommand, load: () => import('./up/up.js') },
  { define: downCommand, load: () => import('./down/down.js') },
  { define: healthCommand, load: () => import('./health/health.js') },
  {
    define: lockCommand,
    subcommands: {
      list: () => import('./lock/list.js'),
      inspect: () => import('./lock/inspect.js'),
      acquire: () => import('./lock/acquire.js'),
      extend: () => import('./lock/extend.js'),
      release: () => import('./lock/release.js'),
      run: () => import('./lock/run.js'),
    },
  },
  { define: orderbookCommand, subcommands: { inspect: () => import('./orderbook/inspect.js'), snapshot: () => import('./orderbook/snapshot.js') } },
  { define: memoryCommand, load: () => import('./memory/memory.js') },
  { define: backupCommand, load: () => import('./backup/backup.js'), subcommands: { verify: () => import('./backup/verify.js'), diff: () => import('./backup/diff.js') } },
  { define: restoreCommand, load: () => import('./restore/restore.js') },
  { define: checkCommand, load: () => import('./check/check.js') },
  {
    define: streamCommand,
    subcommands: {
      list: () => import('./stream/list.js'),
      inspect: () => import('./stream/inspect.js'),
      pending: () => import('./stream/pending.js'),
      claim: () => import('./stream/claim.js'),
      'dead-letter': () => import('./stream/dead-letter.js'),
      trim: () => import('./stream/trim.js'),
    },
  },
  {
    define: pubsubCommand,
    subcommands: { channels: () => import('./pubsub/channels.js'), buffers: () => import('./pubsub/buffers.js'), watch: () => import('./pubsub/watch.js') },
  },
  { define: clientsCommand, load: () => import('./clients/clients.js'), subcommands: { kill: () => import('./clients/kill.js') } },
  { define: aclCommand, subcommands: { rotate: () => import('./acl/rotate.js'), diff: () => import('./acl/diff.js') } },
  { define: securityCommand, subcommands: { report: () => import('./security/report.js') } },
  { define: drillCommand, subcommands: { restore: () => import('./drill/restore.js'), failover: () => import('./drill/failover.js') } },
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
