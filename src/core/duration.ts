import { GridctlError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "500ms", "5s", "2m", "24h", "7d", or a bare number of seconds ("5" = 5 s) -> milliseconds. */
export function parseDuration(value: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!m) throw new GridctlError('USAGE', `invalid ${what} "${value}"`, { hint: 'use a number with a unit: 500ms, 5s, 2m, 24h, 7d' });
  const ms = Number(m[1]) * UNITS[m[2] ?? 's']!;
  if (!Number.isFinite(ms) || ms < 0) throw new GridctlError('USAGE', `invalid ${what} "${value}"`);
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h${Math.round((ms % 3_600_000) / 60_000)}m`;
  return `${Math.floor(ms / 86_400_000)}d${Math.round((ms % 86_400_000) / 3_600_000)}h`;
}
