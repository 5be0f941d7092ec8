import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/core/duration.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['5', 5000],
    ['2m', 120000],
    ['24h', 86400000],
    ['1.5s', 1500],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('rejects garbage with exit 3', () => {
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
  });
  it('formats', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});
