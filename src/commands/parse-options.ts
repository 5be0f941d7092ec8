import type { ZodMiniType } from 'zod/mini';
import { usageError } from '../core/errors.js';

/** camelCase option key -> the flag the user typed (`maxWarnings` -> `--max-warnings`). */
function flagName(key: string): string {
  return `--${kebabCase(key)}`;
}

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
}

/**
 * Validate raw commander options on the action's first line, before any I/O. The first problem
 * becomes one usage error (exit 3) that names the flag (or the positional argument, as `<name>`)
 * and points at the command's help.
 */
export function parseOptions<T>(schema: ZodMiniType<T>, raw: unknown, command: string, positionals: readonly string[] = []): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.length ? String(issue.path[0]) : undefined;
  const named = key === undefined ? '' : positionals.includes(key) ? `<${kebabCase(key)}>: ` : `${flagName(key)}: `;
  return failUsage(`${named}${issue.message}`, command);
}

function failUsage(message: string, command: string): never {
  throw usageError(message, `see \`gridctl ${command} --help\``);
}
