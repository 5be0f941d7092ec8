import * as z from './option-schema.js';
import { parseDuration } from '../core/duration.js';

/** A duration flag (500ms, 30s, 5m, 1h, 7d; a bare number is seconds) as milliseconds, checked before any I/O. */
export function durationMs() {
  return z.pipe(
    z.string().check(z.regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)?\s*$/, 'expected a duration such as 500ms, 30s, 5m, 1h')),
    z.transform((v: string) => parseDuration(v)),
  );
}
