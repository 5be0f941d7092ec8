import type { Command } from 'commander';
import type { ZodMiniType } from 'zod/mini';
import { contextFromCommand, type CommandContext } from './context.js';
import { parseOptions } from './parse-options.js';
import type { Output } from '../ui/output.js';
import type { Coverage } from '../core/redis/coverage.js';

/**
 * What every command is: its options (a zod/mini schema over the command's own flags and its
 * positional arguments, by name), a `run` that returns a report object and never prints, a
 * `render` that draws that report for a terminal or a pipe, and a `verdict` that turns the report
 * into the exit code. `--json` prints the report itself, so the table and the JSON never disagree.
 */
export interface CommandDefinition<Options, Report> {
  options: ZodMiniType<Options>;
  run(opts: Options, ctx: CommandContext): Promise<Report>;
  /** Draw the report (not called with --json, nor with `--format json`). */
  render(report: Report, out: Output, opts: Options): void;
  /** What --json prints, when it is not the report itself (a report that wraps one of several kinds). */
  json?(report: Report): unknown;
  /** The exit code the report means; 0 when the command has no findings to speak of. */
  verdict?(report: Report, opts: Options): number;
}

/** Identity with the types inferred: `export default defineCommand({ options, run, render, verdict })`. */
export function defineCommand<Options, Report>(definition: CommandDefinition<Options, Report>): CommandDefinition<Options, Report> {
  return definition;
}

/** A command module, imported only when its command runs (see registry.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandLoader = () => Promise<{ default: CommandDefinition<any, any> }>;

/** The harness: commander action -> context -> parsed options -> run -> JSON or render -> exit code. */
export function bindAction(command: Command, load: CommandLoader): Command {
  return command.action(async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = contextFromCommand(cmd);
    const definition = (await load()).default;
    const opts = commandOptions(definition, args);
    const report = await definition.run(opts, ctx);
    // A live report that covers part of a deployment says so on stderr, whatever its format.
    ctx.warnCoverage((report as { coverage?: Coverage } | undefined)?.coverage);
    if (wantsJson(ctx, opts)) ctx.out.printJson(definition.json ? definition.json(report) : report);
    else definition.render(report, ctx.out, opts);
    process.exitCode = definition.verdict?.(report, opts) ?? 0;
  });
}

/** A commander action's arguments (positionals, options, the command) -> the definition's options, or a usage error (exit 3) naming the flag. */
export function commandOptions<Options>(definition: CommandDefinition<Options, unknown>, actionArgs: unknown[]): Options {
  const cmd = actionArgs[actionArgs.length - 1] as Command;
  const positionals = cmd.registeredArguments.map((argument) => camelCase(argument.name()));
  return parseOptions(definition.options, rawOptions(cmd, actionArgs.slice(0, -2)), commandPath(cmd), positionals);
}

/** `--json`, `-o json` or the command's own `--format json`. */
function wantsJson(ctx: CommandContext, opts: unknown): boolean {
  return ctx.json || (typeof opts === 'object' && opts !== null && (opts as { format?: unknown }).format === 'json');
}

/**
 * The command's own flags plus its positional arguments by name (`<file>` -> file, `[paths...]` ->
 * paths). A flag that a parent command defines too reaches the parent (commander parses it first),
 * so it is taken from there when the command itself did not get it.
 */
function rawOptions(cmd: Command, positional: unknown[]): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...cmd.opts() };
  for (let parent = cmd.parent; parent?.parent; parent = parent.parent) {
    const inherited = parent.opts();
    for (const option of cmd.options) {
      const key = option.attributeName();
      if (raw[key] === undefined && inherited[key] !== undefined) raw[key] = inherited[key];
    }
  }
  cmd.registeredArguments.forEach((argument, i) => {
    if (positional[i] !== undefined) raw[camelCase(argument.name())] = positional[i];
  });
  return raw;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
}

/** `lock release`, for usage errors' "see `gridctl lock release --help`". */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
