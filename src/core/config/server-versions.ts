/**
 * The servers gridctl renders for and lints against, oldest first (the order is what "at least
 * 7.2" compares; valkey-8 ranks after every Redis, so nothing may be gated "since 8.0"): gridctl.yaml
 * server.version and check.version, init's --server-version and check's --redis-version. No zod
 * here, so a command's --help can list the choices cheaply. 8.0 takes exactly 7.4's directives and
 * commands (CONFIG GET *, COMMAND LIST, ACL CAT on 8.0-m01 against 7.4.1: docs/compatibility.md).
 */
export const SERVER_VERSIONS = ['7.0', '7.2', '7.4', '8.0', 'valkey-8'] as const;

/** The Redis targets that have Redis 7.4's additions (hash-field expiry commands, the *-cpulist spellings). */
export function hasRedis74Additions(version: ServerVersion): boolean {
  return version === '7.4' || version === '8.0';
}

export type ServerVersion = (typeof SERVER_VERSIONS)[number];
