/**
 * zod/mini, with zod's English messages, for the commands' option schemas (the *-options.ts files).
 * The mini build rather than `zod`: it loads in ~5 ms instead of ~25 ms, and every command that
 * parses options pays that before its first connection. Its messages are the same ("Too big:
 * expected number to be <=1000"); mini just does not configure a locale by itself.
 */
import * as z from 'zod/mini';

z.config(z.locales.en());

export * from 'zod/mini';
