import { describe, expect, it } from 'vitest';
import { add, compare, formatDecimal, midpoint, parseDecimal, sub } from '../../../src/core/orderbook/decimal.js';

const d = (s: string) => parseDecimal(s)!;

describe('exact decimals', () => {
  it('adds without binary rounding (0.1 + 0.2 = 0.3, not 0.30000000000000004)', () => {
    expect(formatDecimal(add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(formatDecimal(add(d('12.5'), d('7.25')))).toBe('19.75');
  });
  it('subtracts, compares across scales and halves exactly', () => {
    expect(formatDecimal(sub(d('10'), d('2.5')))).toBe('7.5');
    expect(formatDecimal(sub(d('0.15'), d('0.16')))).toBe('-0.01');
    expect(compare(d('0.150'), d('0.15'))).toBe(0);
    expect(compare(d('0.14'), d('0.15'))).toBe(-1);
    expect(formatDecimal(midpoint(d('0.15'), d('0.16')))).toBe('0.155');
    expect(formatDecimal(midpoint(d('1'), d('2')))).toBe('1.5');
  });
  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', 'abc', '1e5', 'NaN', '1.2.3', '.5']) expect(parseDecimal(bad)).toBeUndefined();
    expect(formatDecimal(d('-0.000'))).toBe('0');
    expect(formatDecimal(d('3.0'))).toBe('3');
  });
});
