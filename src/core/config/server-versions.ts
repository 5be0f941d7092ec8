/**
 * The servers gridctl renders for and lints against, oldest first (the order is what "at least
 * 7.2" compares): gridctl.yaml server.version and check.version, init's --server-version and
 * check's --redis-version. No zod here, so a command's --help can list the choices cheaply.
 */
export const SERVER_VERSIONS = ['7.0', '7.2', '7.4', 'valkey-8'] as const;

export type ServerVersion = (typeof SERVER_VERSIONS)[number];
