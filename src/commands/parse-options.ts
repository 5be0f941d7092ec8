import type { ZodMiniType } from 'zod/mini';
import { usageError } from '../core/errors.js';

/** camelCase option key -> the flag the user typed (`maxWarnings` -> `--max-warnings`). */
export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Validate raw commander options on the action's first line, before any I/O. The first problem
 * becomes one usage error (exit 3) that names the flag and points at the command's help.
 */
export function parseOptions<T>(schema: ZodMiniType<T>, raw: unknown, command: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const flag = issue.path.length ? `${flagName(String(issue.path[0]))}: ` : '';
  return failUsage(`${flag}${issue.message}`, command);
}

function failUsage(message: string, command: string): never {
  throw usageError(message, `see \`gridctl ${command} --help\``);
}
