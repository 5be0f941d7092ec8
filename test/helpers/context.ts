import { PassThrough } from 'node:stream';
import { createContext, type CommandContext, type GlobalOptions } from '../../src/commands/context.js';
import { createOutput } from '../../src/ui/output.js';
import { GridctlError } from '../../src/core/errors.js';
import type { Interaction } from '../../src/ui/interaction.js';

/** A stream that remembers what was written, and claims to be a terminal or not. */
function capture(isTTY: boolean): { stream: NodeJS.WritableStream & { isTTY: boolean }; text(): string } {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Answers given in order to whatever the command asks; a question with none left fails the test. */
export function scriptedInteraction(answers: Array<string | boolean>, opts: { yes?: boolean; interactive?: boolean } = {}): Interaction & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    if (!answers.length) throw new Error(`unexpected question: ${message}`);
    return answers.shift()!;
  };
  const interactive = opts.interactive ?? true;
  return {
    asked,
    interactive,
    async confirmDestructive(question, whenNotInteractive) {
      if (opts.yes) return true;
      if (!interactive) throw new GridctlError('CONFIRMATION_REQUIRED', `--yes required to ${whenNotInteractive.what} when not running interactively`);
      return Boolean(next(question));
    },
    select: async (message) => next(message) as never,
    input: async (message) => String(next(message)),
    confirm: async (message) => Boolean(next(message)),
  };
}

export interface TestContext {
  ctx: CommandContext;
  stdout(): string;
  stderr(): string;
}

/**
 * A CommandContext for calling a command's `run` / `render` directly: output captured, stdout and
 * stderr each a terminal or a pipe, and the operator's answers scripted.
 */
export function testContext(opts: { global?: GlobalOptions; tty?: boolean; stderrTTY?: boolean; answers?: Array<string | boolean>; env?: NodeJS.ProcessEnv; cwd?: string } = {}): TestContext {
  const global = opts.global ?? {};
  const stdout = capture(opts.tty ?? false);
  const stderr = capture(opts.stderrTTY ?? opts.tty ?? false);
  const out = createOutput({ json: Boolean(global.json), quiet: Boolean(global.quiet), verbose: Boolean(global.verbose), stdout: stdout.stream, stderr: stderr.stream });
  const interactive = opts.answers !== undefined;
  const ctx = createContext({
    global,
    env: opts.env ?? {},
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    out,
    interactive,
    ui: scriptedInteraction(opts.answers ?? [], { yes: Boolean(global.yes), interactive }),
  });
  return { ctx, stdout: stdout.text, stderr: stderr.text };
}
