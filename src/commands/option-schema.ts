/**
 * zod/mini, with zod's English messages, for the commands' option schemas. The mini build rather
 * than `zod`: every command loads it before its first connection, and it loads faster without
 * zod's classic layer (docs/DEVELOPING.md, Measurements). Its messages are the same ("Too big:
 * expected number to be <=1000"); mini just does not configure a locale by itself.
 */
import * as z from 'zod/mini';

z.config(z.locales.en());

export * from 'zod/mini';
