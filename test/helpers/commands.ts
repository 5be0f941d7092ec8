import { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import { COMMANDS } from '../../src/commands/registry.js';
import { commandOptions, type CommandLoader } from '../../src/commands/define-command.js';

/**
 * What the harness would hand a command's `run` for this command line (`['health', '--samples',
 * '5']`): the real program parses it, the command's own schema validates it. A bad flag rejects
 * with the same error the binary reports (commander's, or the usage error naming the flag).
 */
export async function parsedOptions(argv: string[]): Promise<unknown> {
  const program = buildProgram();
  let parsed: unknown;
  const silence = (c: Command) => {
    c.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    c.commands.forEach(silence);
  };
  silence(program);
  const capture = (cmd: Command, load: CommandLoader) =>
    cmd.action(async (...args: unknown[]) => {
      parsed = commandOptions((await load()).default, args);
    });
  for (const registration of COMMANDS) {
    const cmd = program.commands.find((c) => c.name() === registration.define().name())!;
    if (registration.load) capture(cmd, registration.load);
    for (const [name, load] of Object.entries(registration.subcommands ?? {})) capture(cmd.commands.find((c) => c.name() === name)!, load);
  }
  await program.parseAsync(argv, { from: 'user' });
  return parsed;
}
