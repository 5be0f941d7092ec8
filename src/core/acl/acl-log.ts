import type { Redis } from 'ioredis';

/** Refused AUTHs of one user on one node, as ACL LOG groups them (one entry per reason, context, object, user). */
export interface AuthFailure {
  node: string;
  user: string;
  /** Failures seen since the baseline. */
  count: number;
  /** The last client that failed (ACL LOG keeps the latest client-info). */
  clientAddr: string;
  ageSeconds: number;
}

/** One ACL LOG entry (entry-id and the timestamps are Redis 7.2+, undefined before). */
export interface LogEntry {
  reason: string;
  context: string;
  object: string;
  username: string;
  count: number;
  ageSeconds: number;
  clientAddr: string;
  entryId?: number;
  createdMs?: number;
  updatedMs?: number;
}

export function parseAclLog(reply: unknown): LogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((flat: unknown) => {
    const f = new Map<string, unknown>();
    const list = Array.isArray(flat) ? flat : [];
    for (let i = 0; i + 1 < list.length; i += 2) f.set(String(list[i]), list[i + 1]);
    const info = String(f.get('client-info') ?? '');
    const num = (k: string) => (f.has(k) ? Number(f.get(k)) : undefined);
    const entry: LogEntry = {
      reason: String(f.get('reason') ?? ''),
      context: String(f.get('context') ?? ''),
      object: String(f.get('object') ?? ''),
      username: String(f.get('username') ?? ''),
      count: Number(f.get('count') ?? 0),
      ageSeconds: Number(f.get('age-seconds') ?? 0),
      clientAddr: /(?:^|\s)addr=(\S+)/.exec(info)?.[1] ?? '',
    };
    const id = num('entry-id');
    const created = num('timestamp-created');
    const updated = num('timestamp-last-updated');
    if (id !== undefined) entry.entryId = id;
    if (created !== undefined) entry.createdMs = created;
    if (updated !== undefined) entry.updatedMs = updated;
    return entry;
  });
}

/** The count of `user`'s auth failures ACL LOG holds on a node now (the baseline a watch compares with). */
export async function authFailureCount(client: Redis, user: string): Promise<number> {
  return authEntries(parseAclLog(await client.call('ACL', 'LOG', '128')), user).reduce((n, e) => n + e.count, 0);
}

/** `user`'s auth failures on a node beyond `baseline`, or undefined when there are none. */
export async function authFailuresSince(client: Redis, node: string, user: string, baseline: number): Promise<AuthFailure | undefined> {
  const entries = authEntries(parseAclLog(await client.call('ACL', 'LOG', '128')), user);
  const count = entries.reduce((n, e) => n + e.count, 0) - baseline;
  if (count <= 0) return undefined;
  const latest = [...entries].sort((a, b) => a.ageSeconds - b.ageSeconds)[0]!;
  return { node, user, count, clientAddr: latest.clientAddr, ageSeconds: latest.ageSeconds };
}

function authEntries(entries: LogEntry[], user: string): LogEntry[] {
  return entries.filter((e) => e.reason === 'auth' && e.username === user);
}
