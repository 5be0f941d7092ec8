/**
 * zod/mini, with zod's English messages, for the commands' option schemas (the *-options.ts files).
 * The mini build rather than `zod`: every command that parses options pays for loading it before
 * its first connection, and without zod's classic layer that is ~18 ms instead of ~28 ms (zod's
 * core still loads: the gridctl.yaml schema shares it). Its messages are the same ("Too big:
 * expected number to be <=1000"); mini just does not configure a locale by itself.
 */
import * as z from 'zod/mini';

z.config(z.locales.en());

export * from 'zod/mini';
