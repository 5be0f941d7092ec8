import { GridctlError } from '../core/errors.js';

export interface Choice<T extends string> {
  value: T;
  description?: string;
}

/**
 * Everything a command asks the operator, reached through its context so `run` can be called from
 * a test with scripted answers. Questions go to stderr: stdout carries only the result.
 */
export interface Interaction {
  /** stdin and stdout are terminals: questions may be asked. */
  readonly interactive: boolean;
  /**
   * The one gate before a destructive action: --yes passes; on a terminal the operator is asked
   * (default no); otherwise CONFIRMATION_REQUIRED (exit 3), so a cron job never hangs on a prompt.
   */
  confirmDestructive(question: string, whenNotInteractive: { what: string; hint: string }): Promise<boolean>;
  select<T extends string>(message: string, choices: Array<Choice<T>>, defaultValue?: T): Promise<T>;
  input(message: string, defaultValue: string, validate?: (value: string) => true | string): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

/** Questions on a real terminal, with @inquirer/prompts (loaded only when a question is asked). */
export function terminalInteraction(opts: { yes: boolean; interactive: boolean }): Interaction {
  const io = { output: process.stderr };
  const prompts = () => import('@inquirer/prompts');
  const asked = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (err) {
      // Ctrl-C at a prompt: a cancellation (exit 2), not a crash.
      if ((err as Error)?.name === 'ExitPromptError') throw new GridctlError('CANCELLED', 'cancelled at a prompt; nothing was changed');
      throw err;
    }
  };
  const interaction: Interaction = {
    interactive: opts.interactive,
    async confirmDestructive(question, whenNotInteractive) {
      if (opts.yes) return true;
      if (!opts.interactive) {
        throw new GridctlError('CONFIRMATION_REQUIRED', `--yes required to ${whenNotInteractive.what} when not running interactively`, { hint: whenNotInteractive.hint });
      }
      return interaction.confirm(question, false);
    },
    select: (message, choices, defaultValue) =>
      asked(async () => (await prompts()).select({ message, choices, ...(defaultValue !== undefined ? { default: defaultValue } : {}) }, io)),
    input: (message, defaultValue, validate) =>
      asked(async () => (await prompts()).input({ message, default: defaultValue, ...(validate ? { validate } : {}) }, io)),
    confirm: (message, defaultValue) => asked(async () => (await prompts()).confirm({ message, default: defaultValue }, io)),
  };
  return interaction;
}
