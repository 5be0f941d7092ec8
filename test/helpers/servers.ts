import { existsSync } from 'node:fs';

/**
 * Other server builds for version-aware tests, from GRIDCTL_TEST_SERVERS: a comma list of
 * name=path (e.g. `valkey-8.0.1=/opt/valkey/src/valkey-server,redis-7.4.1=/opt/r74/redis-server`).
 * Tests that need one skip cleanly without it: `it.skipIf(!testServer('valkey-8.0.1'))`.
 */
export function testServers(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const servers = new Map<string, string>();
  for (const entry of (env.GRIDCTL_TEST_SERVERS ?? '').split(',')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq).trim();
    const file = entry.slice(eq + 1).trim();
    if (name && file && existsSync(file)) servers.set(name, file);
  }
  return servers;
}

/** The binary registered under `name`, or undefined (not listed, or the file is not there). */
export function testServer(name: string): string | undefined {
  return testServers().get(name);
}
