import { Command, Option } from 'commander';
import { VERSION } from './version.js';
import { CONNECTION_FLAGS } from './commands/connection-flags.js';
import { upCommand } from './commands/up.js';
import { downCommand } from './commands/down.js';
import { healthCommand } from './commands/health.js';
import { helpCommand } from './commands/help.js';
import { checkCommand } from './commands/check.js';
import { backupCommand } from './commands/backup.js';
import { restoreCommand } from './commands/restore.js';
import { initCommand } from './commands/init.js';
import { lockCommand } from './commands/lock.js';
import { orderbookCommand } from './commands/orderbook.js';
import { memoryCommand } from './commands/memory.js';

/**
 * Builds the program: global options and every command, registered here and nowhere else.
 * Command files hold only definitions; their implementations are imported inside the actions,
 * so `gridctl --help` never loads ioredis.
 */
export function buildProgram(): Command {
  const program = new Command('gridctl')
    .description('Operations CLI for the Redis tier of the GridTokenX API Gateway: scaffold, lint, run and operate Redis.')
    .version(VERSION, '-V, --version', 'print the gridctl version')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });

  program
    .option('--config <path>', 'gridctl.yaml to read (env GRIDCTL_CONFIG; default ./gridctl.yaml)')
    .option('--json', 'print the result as JSON (same as -o json)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']))
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('--timeout <duration>', 'connect and command timeout, e.g. 5s, 500ms (default 5s)')
    .option('-y, --yes', 'assume yes for confirmations (required for destructive actions without a TTY)')
    .option('-q, --quiet', 'only errors and results')
    .option('-v, --verbose', 'more detail on stderr');
  for (const { flags, help } of Object.values(CONNECTION_FLAGS)) program.option(flags, help);

  program.addHelpText(
    'after',
    `
Examples:
  $ gridctl up --topology sentinel --tls --acl      start a local Sentinel deployment over mutual TLS
  $ gridctl health                                  check what \`gridctl up\` started
  $ gridctl health --url rediss://monitor@redis-1:6380 --tls-ca ca.crt --password-file monitor.pass
  $ gridctl health --target prod --json | jq .summary
  $ gridctl down                                    stop it again
  $ gridctl help exit-codes                         what each exit code means

Docs: README.md and docs/ in the package; every command has --help with examples.`,
  );

  for (const command of [initCommand, upCommand, downCommand, healthCommand, lockCommand, orderbookCommand, memoryCommand, backupCommand, restoreCommand, checkCommand, helpCommand]) program.addCommand(command());
  return program;
}
