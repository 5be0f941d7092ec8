import { maskDeep, maskSecrets } from '../core/mask.js';

/**
 * Where results and chatter go. Results (the data) go to stdout; logs, progress and prompts go to
 * stderr, so `gridctl ... --json | jq` always receives clean data.
 */
export interface Output {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** stdout is a terminal: headers, colour and aligned tables; otherwise tab-separated rows. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Where progress bars are drawn (stderr), for views that redraw a line in place. */
  progressStream: NodeJS.WritableStream;
  /** Print the result object as JSON (masked). */
  printJson(value: unknown): void;
  /** Print text to stdout (masked). */
  print(text: string): void;
  /** Replace the terminal's screen with `text` (a --watch frame; masked). */
  redraw(text: string): void;
  /** Informational line on stderr, hidden by --quiet. */
  info(text: string): void;
  /** Debug line on stderr, shown only with --verbose. */
  debug(text: string): void;
  /** Warning on stderr, shown even with --quiet. */
  warn(text: string): void;
}

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createOutput(opts: OutputOptions = {}): Output {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const quiet = Boolean(opts.quiet);
  const verbose = Boolean(opts.verbose) && !quiet;
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(maskSecrets(text) + (text.endsWith('\n') ? '' : '\n'));
  return {
    json: Boolean(opts.json),
    quiet,
    verbose,
    stdoutIsTTY: Boolean(stdout.isTTY),
    stderrIsTTY: Boolean(stderr.isTTY),
    progressStream: stderr,
    printJson: (value) => void stdout.write(JSON.stringify(maskDeep(value), jsonReplacer, 2) + '\n'),
    print: (text) => void line(stdout, text),
    // Home + clear screen: the new frame replaces the old one instead of scrolling.
    redraw: (text) => void line(stdout, `\x1b[H\x1b[2J${text}`),
    info: (text) => void (quiet ? undefined : line(stderr, text)),
    debug: (text) => void (verbose ? line(stderr, text) : undefined),
    warn: (text) => void line(stderr, text),
  };
}

/** BigInt and Buffer are not JSON; render them as numbers-as-strings and base64. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}
