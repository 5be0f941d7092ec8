import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colour is decided once, here: chalk alone does not honour NO_COLOR or --no-color, and a pipe
 * must never receive ANSI codes. FORCE_COLOR=0 and CI without a TTY also turn it off.
 */
export function shouldUseColor(opts: { noColor?: boolean; stream?: NodeJS.WriteStream } = {}): boolean {
  const stream = opts.stream ?? process.stdout;
  if (opts.noColor) return false;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR === '0') return false;
  if (process.env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

let current: ChalkInstance = new Chalk({ level: 0 });

export function configureColors(enabled: boolean): void {
  current = new Chalk({ level: enabled ? 1 : 0 });
}

/** The chalk instance every renderer uses; plain (level 0) until main.ts decides otherwise. */
export function c(): ChalkInstance {
  return current;
}

export type Status = 'PASS' | 'WARN' | 'FAIL' | 'SKIP' | 'INFO';

export function paintStatus(status: Status): string {
  const k = c();
  switch (status) {
    case 'PASS':
      return k.green(status);
    case 'WARN':
      return k.yellow(status);
    case 'FAIL':
      return k.red.bold(status);
    case 'INFO':
      return k.cyan(status);
    default:
      return k.dim(status);
  }
}
