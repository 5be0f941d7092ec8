/**
 * redis.conf line tokenising with the exact semantics of Redis' sdssplitargs (src/sds.c):
 * double quotes understand \n \r \t \b \a \\ \" and \xHH, single quotes only \', a quote may
 * start in the middle of a token, and a closing quote must be followed by whitespace or the end
 * of the line. Anything else is "Unbalanced quotes" (returns undefined), as Redis reports it.
 */
export function splitArgs(line: string): string[] | undefined {
  const args: string[] = [];
  const n = line.length;
  let i = 0;
  const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\v' || ch === '\f';
  const isHex = (ch: string | undefined) => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    let current = '';
    while (!done) {
      const ch = line[i];
      if (inDouble) {
        if (ch === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (ch === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          current += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (ch === '"') {
          if (i + 1 < n && !isSpace(line[i + 1])) return undefined;
          done = true;
        } else if (ch === undefined) {
          return undefined;
        } else {
          current += ch;
        }
      } else if (inSingle) {
        if (ch === '\\' && line[i + 1] === "'") {
          i++;
          current += "'";
        } else if (ch === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return undefined;
          done = true;
        } else if (ch === undefined) {
          return undefined;
        } else {
          current += ch;
        }
      } else if (ch === undefined || isSpace(ch)) {
        done = true;
      } else if (ch === '"') {
        inDouble = true;
      } else if (ch === "'") {
        inSingle = true;
      } else {
        current += ch;
      }
      if (i < n) i++;
    }
    args.push(current);
  }
}

/**
 * Redis memory values: a plain number of bytes, or with a unit (k=1000, kb=1024, m, mb, g, gb),
 * case-insensitive. Returns undefined when the text is not a valid memory value.
 */
export function parseMemory(text: string): number | undefined {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mul: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return n * mul[unit]!;
}

/** Quote a value for redis.conf output (used in fix suggestions). */
export function quoteArg(value: string): string {
  return value !== '' && /^[A-Za-z0-9_./:@,+*~%&|<>#=-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
