import { Command } from 'commander';

/** A nested command (`lock list`): it needs its own exitOverride, main.ts sets it on top-level commands only. */
export function subcommand(name: string, description: string): Command {
  return new Command(name).description(description).exitOverride();
}
