/**
 * Exact decimal arithmetic for order quantities and prices. The gateway keeps them as decimal
 * strings (rust_decimal); summing them as JavaScript numbers would print 0.30000000000000004 for
 * a level of 0.1 + 0.2, and during an incident a depth figure that is off in the 17th digit
 * sends people chasing a phantom. A value is an integer coefficient and a count of decimal places.
 */
export interface Decimal {
  readonly coef: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export const ZERO: Decimal = { coef: 0n, scale: 0 };

/** "12.5" -> 125 scale 1; undefined for anything that is not a plain decimal (no exponent, no NaN). */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const coef = BigInt(m[2]! + frac);
  return { coef: m[1] === '-' ? -coef : coef, scale: frac.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.coef, b.coef, a.scale];
  if (a.scale > b.scale) return [a.coef, b.coef * 10n ** BigInt(a.scale - b.scale), a.scale];
  return [a.coef * 10n ** BigInt(b.scale - a.scale), b.coef, b.scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { coef: x + y, scale };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { coef: x - y, scale };
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** (a + b) / 2, exactly: halving a decimal needs at most one more decimal place. */
export function midpoint(a: Decimal, b: Decimal): Decimal {
  const s = add(a, b);
  return { coef: s.coef * 5n, scale: s.scale + 1 };
}

export function isPositive(a: Decimal): boolean {
  return a.coef > 0n;
}

/** Canonical text: no trailing zeros after the point ("19.750" -> "19.75", "3.0" -> "3"). */
export function formatDecimal(a: Decimal): string {
  if (a.coef === 0n) return '0';
  const negative = a.coef < 0n;
  let digits = (negative ? -a.coef : a.coef).toString();
  let scale = a.scale;
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return (negative && digits !== '0' ? '-' : '') + digits;
}

/** A plain decimal as the gateway writes it (no surrounding spaces); parseDecimal also accepts those. */
const PLAIN_DECIMAL = /^[+-]?\d+(?:\.\d+)?$/;

export function isPlainDecimal(text: string): boolean {
  return PLAIN_DECIMAL.test(text);
}

/**
 * Digits in a plain decimal's text (sign and point excluded). Up to 15 significant digits a
 * decimal survives the trip to the nearest double and back (DBL_DIG), so two such decimals that
 * differ have different doubles, in the same order: comparing the Numbers is exact.
 */
function digitCount(text: string): number {
  let n = text.length;
  if (text.charCodeAt(0) === 43 /* + */ || text.charCodeAt(0) === 45 /* - */) n--;
  if (text.includes('.')) n--;
  return n;
}

/**
 * Compare two plain decimal texts (isPlainDecimal) exactly, without allocating a BigInt in the
 * common case: short ones (<= 15 digits, every price and amount the gateway writes) as Numbers,
 * anything longer through the BigInt path. The audit calls this twice per member.
 */
export function compareDecimalText(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  if (digitCount(a) <= 15 && digitCount(b) <= 15) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compare(parseDecimal(a)!, parseDecimal(b)!);
}
