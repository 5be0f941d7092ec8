import Table from 'cli-table3';
import { c } from './colors.js';

/**
 * One table formatter for every command: an aligned, bordered table on a terminal, and plain
 * tab-separated rows without a header when piped (so `cut`, `awk` and `grep` work).
 */
export function renderTable(head: string[], rows: Array<Array<string | number>>, opts: { tty: boolean }): string {
  if (!opts.tty) {
    return rows.map((r) => r.map((cell) => String(cell).replace(/[\t\n]/g, ' ')).join('\t')).join('\n');
  }
  const table = new Table({
    head: head.map((h) => c().bold(h)),
    style: { head: [], border: [] },
    // No separator between rows: long reports stay readable on one screen.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: true,
  });
  for (const r of rows) table.push(r.map((cell) => String(cell)));
  return table.toString();
}
