import { Command } from 'commander';

/** `gridctl help [topic|command]`: topics (exit-codes) plus the usual per-command help. */
export function helpCommand(): Command {
  return new Command('help')
    .description('show help for a command, or a topic: exit-codes')
    .argument('[topic]', 'a command name or "exit-codes"')
    .action(async (topic: string | undefined, _opts: unknown, cmd: Command) => {
      const program = cmd.parent!;
      if (topic === 'exit-codes') {
        const { EXIT_CODE_DOCS } = await import('../core/exit-codes.js');
        const lines = ['Exit codes used by every gridctl command:', ''];
        for (const e of EXIT_CODE_DOCS) lines.push(`  ${e.code}  ${e.name.padEnd(12)} ${e.meaning}`);
        process.stdout.write(lines.join('\n') + '\n');
        return;
      }
      if (!topic) {
        program.outputHelp();
        return;
      }
      const sub = program.commands.find((c) => c.name() === topic || c.aliases().includes(topic));
      if (!sub) {
        const { usageError } = await import('../core/errors.js');
        throw usageError(`no help topic or command "${topic}"`, 'try `gridctl help exit-codes` or `gridctl --help`');
      }
      sub.outputHelp();
    });
}
