import { Command, Option } from 'commander';
import { VERSION } from './version.js';
import { buildCommands } from './commands/registry.js';

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
    .option('--url <url>', 'Redis URL: redis://[user[:pass]@]host:port[/db], rediss:// for TLS (env REDIS_URL)')
    .option('--target <name>', 'a named connection from gridctl.yaml targets')
    .option('--config <path>', 'gridctl.yaml to read (env GRIDCTL_CONFIG; default ./gridctl.yaml)')
    .option('--json', 'print the result as JSON (same as -o json)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']))
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('--timeout <duration>', 'connect and command timeout, e.g. 5s, 500ms (default 5s)')
    .option('-y, --yes', 'assume yes for confirmations (required for destructive actions without a TTY)')
    .option('-q, --quiet', 'only errors and results')
    .option('-v, --verbose', 'more detail on stderr')
    .option('--user <name>', 'ACL user (overrides the URL / target)')
    .option('--password-file <path>', 'read the password from this file (or set REDIS_PASSWORD)')
    .option('--tls-ca <path>', 'CA certificate (PEM) to verify the server')
    .option('--tls-cert <path>', 'client certificate (PEM) for mutual TLS')
    .option('--tls-key <path>', 'client private key (PEM) for mutual TLS')
    .option('--tls-servername <name>', 'name to verify in the server certificate (SNI)')
    .option('--tls-insecure', 'do not verify the server certificate (testing only)')
    .option('--sentinel <host:port,...>', 'connect through these Sentinels (with --master-name)')
    .option('--master-name <name>', 'Sentinel master name (default gridtokenx)')
    .option('--sentinel-user <name>', 'ACL user on the Sentinels')
    .option('--sentinel-password-file <path>', 'Sentinel password file (or REDIS_SENTINEL_PASSWORD)')
    .option('--cluster', 'treat the URL / target nodes as Redis Cluster seed nodes')
    .option('--run-dir <dir>', 'where `gridctl up` keeps its state (default ./.gridctl/local)');

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
