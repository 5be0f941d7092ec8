import type { Output } from './output.js';

/** A report's one-line summary: on stdout under a table on a terminal, on stderr when piped (stdout stays rows only). */
export function summaryLine(out: Output, text: string): void {
  if (out.stdoutIsTTY) out.print(text);
  else out.info(text);
}
