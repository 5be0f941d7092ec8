import { Command, Option } from 'commander';
import { VERSION } from './version.js';
import { buildCommands } from './commands/registry.js';
import { CONNECTION_FLAGS } from './commands/connection-flags.js';

/**
 * Builds the program: the global options and every command of the registry (commands/registry.ts),
 * whose implementations are imported only when they run.
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

  for (const command of buildCommands()) program.addCommand(command);
  return program;
}
