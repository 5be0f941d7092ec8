import { Command } from 'commander';

export function helpCommand(): Command {
  return new Command('help')
    .description('show help for a command, or a topic: exit-codes')
    .argument('[topic]', 'a command name or "exit-codes"');
}
