import { CommanderError } from 'commander';
import { buildProgram } from './cli.js';
import { VERSION } from './version.js';
import { configureColors, shouldUseColor, c } from './ui/colors.js';
import { GridctlError } from './core/errors.js';
import { ExitCode } from './core/exit-codes.js';
import { maskSecrets } from './core/mask.js';
import { runCancelHandlers, signalOwner } from './core/cancel.js';

/**
 * The only place that exits. Runs the program, maps every error to one message and the
 * documented exit code, and prints it once (JSON on stdout with --json, text on stderr otherwise).
 */
export async function main(argv: string[]): Promise<void> {
  const wantsJson = argv.includes('--json') || /(^|\s)(-o|--output)(\s+|=)json\b/.test(argv.join(' '));
  configureColors(shouldUseColor({ noColor: argv.includes('--no-color'), stream: process.stderr }) && shouldUseColor({ noColor: argv.includes('--no-color') }));
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const supervisor = signalOwner();
    if (supervisor) return supervisor(signal);
    if (interrupted) process.exit(ExitCode.CANCELLED);
    interrupted = true;
    process.stderr.write(`\ngridctl: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; cleaning up\n`);
    void runCancelHandlers().finally(() => exit(ExitCode.CANCELLED));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ outputError: (str, write) => write(maskSecrets(str)) });
  for (const sub of program.commands) sub.exitOverride();
  let code: number = ExitCode.OK;
  try {
    await program.parseAsync(argv);
    code = typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    code = report(err, wantsJson);
  }
  await exit(code);
}

function report(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
    // commander already printed its message (unknown option, missing argument, ...).
    if (json) process.stdout.write(JSON.stringify({ error: { code: 'USAGE', exitCode: ExitCode.USAGE, message: maskSecrets(err.message) } }) + '\n');
    return ExitCode.USAGE;
  }
  if (err instanceof GridctlError) {
    if (json) {
      process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
    } else {
      process.stderr.write(`${c().red('gridctl: error:')} ${err.message}\n`);
      if (err.hint) process.stderr.write(`${c().dim('hint:')} ${err.hint}\n`);
      const cause = err.cause as Error | undefined;
      if (process.argv.includes('--verbose') && cause?.message) process.stderr.write(`cause: ${maskSecrets(cause.message)}\n`);
    }
    return err.exitCode;
  }
  const e = err as Error;
  const versions = `gridctl ${VERSION}, node ${process.version}, ${process.platform}-${process.arch}`;
  const message = maskSecrets(e?.message ?? String(err));
  if (json) {
    process.stdout.write(JSON.stringify({ error: { code: 'INTERNAL', exitCode: ExitCode.FINDINGS, message, versions } }) + '\n');
  } else {
    process.stderr.write(`gridctl: unexpected error: ${message} — please report this with the command you ran (${versions})\n`);
    if (process.argv.includes('--verbose') && e?.stack) process.stderr.write(maskSecrets(e.stack) + '\n');
  }
  return ExitCode.FINDINGS;
}

/** Exit once stdout and stderr have drained, so piped output is never cut short. */
async function exit(code: number): Promise<void> {
  await Promise.all(
    [process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => (s.writableNeedDrain ? s.once('drain', () => resolve()) : resolve()))),
  );
  process.exit(code);
}
