import type { Redis } from 'ioredis';

/** What rotation needs to know of one ACL user on one node (from ACL GETUSER; hashes, never passwords). */
export interface AclUserState {
  exists: boolean;
  /** SHA-256 hex of each password the user accepts. */
  hashes: string[];
  flags: string[];
}

/** ACL GETUSER in RESP2: a flat list of field, value pairs; nil when the user does not exist. */
export async function readAclUser(client: Redis, user: string): Promise<AclUserState> {
  const reply = (await client.call('ACL', 'GETUSER', user)) as unknown[] | null;
  if (!reply) return { exists: false, hashes: [], flags: [] };
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const list = (name: string) => (Array.isArray(fields.get(name)) ? (fields.get(name) as unknown[]).map(String) : []);
  return { exists: true, hashes: list('passwords'), flags: list('flags') };
}

/** ACL SETUSER rules that make `hashes` accepted (`#h`) and `drop` refused (`!h`), touching nothing else. */
export function passwordRules(current: readonly string[], add: readonly string[], drop: readonly string[]): string[] {
  const have = new Set(current);
  // Redis refuses `!h` for a hash the user does not have, so only present ones are removed; adds
  // come first, so the user never has fewer passwords than it needs in between.
  return [...add.filter((h) => !have.has(h)).map((h) => `#${h}`), ...drop.filter((h) => have.has(h) && !add.includes(h)).map((h) => `!${h}`)];
}
