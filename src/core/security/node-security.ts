import { parseAclLog, type LogEntry } from '../acl/acl-log.js';
import { readAclUser } from '../acl/acl-user.js';
import { clientList } from '../acl/client-list.js';
import { parseInfo } from '../redis/info.js';
import type { OpenNode } from '../acl/every-node.js';
import type { DeniedGroup, NodeSecurity } from './types.js';

/** What `security report` reads from one node: ACL LOG grouped, counters, clients by transport, default user, protected-mode. */
export async function readNodeSecurity(node: OpenNode, tlsConnected: boolean, now: number): Promise<{ node: NodeSecurity; denied: DeniedGroup[]; aclList: string[] }> {
  const c = node.client;
  const sentinel = node.role === 'sentinel';
  const entries = parseAclLog(await c.call('ACL', 'LOG', '1000'));
  const info = sentinel ? {} : parseInfo(String(await c.call('INFO', 'stats')));
  const tlsPort = sentinel ? (tlsConnected ? node.port : 0) : Number(((await c.call('CONFIG', 'GET', 'tls-port')) as string[])[1] ?? 0);
  // Clients that connected to this node: not gridctl's own, not a replica's link to its master.
  const clients = (await clientList(c)).filter((e) => e.name !== 'gridctl' && !e.flags.includes('M'));
  const tls = clients.filter((e) => tlsPort > 0 && localPort(e.laddr) === tlsPort).length;
  const def = await readAclUser(c, 'default');
  const protectedMode = sentinel ? null : ((await c.call('CONFIG', 'GET', 'protected-mode')) as string[])[1] === 'yes';
  const counter = (k: string) => Number(info[`acl_access_denied_${k}`]);
  return {
    node: {
      address: node.address,
      role: node.role,
      deniedCounters: info.acl_access_denied_auth === undefined ? null : { auth: counter('auth'), cmd: counter('cmd'), key: counter('key'), channel: counter('channel') },
      logEntriesLost: entriesLost(entries),
      clients: { total: clients.length, tls },
      defaultUser: { enabled: def.exists && def.flags.includes('on'), nopass: def.flags.includes('nopass') },
      protectedMode,
    },
    denied: groupDenied(node.address, entries, now),
    aclList: ((await c.call('ACL', 'LIST')) as string[]).map(String),
  };
}

/** Entries ACL LOG no longer holds: ids start at 0 and grow by one, so the oldest id kept is how many were dropped (minus any gaps between). */
export function entriesLost(entries: readonly LogEntry[]): number | null {
  const ids = entries.map((e) => e.entryId).filter((id): id is number => id !== undefined);
  if (!ids.length) return entries.length ? null : 0;
  return Math.max(...ids) + 1 - ids.length;
}

/** Per reason, user and client IP: the count, what was refused, first and last seen. */
export function groupDenied(node: string, entries: readonly LogEntry[], now: number): DeniedGroup[] {
  const groups = new Map<string, DeniedGroup & { firstMs: number | null; lastMs: number }>();
  for (const e of entries) {
    const client = e.clientAddr.slice(0, e.clientAddr.lastIndexOf(':')) || e.clientAddr;
    const key = `${e.reason}\u0000${e.username}\u0000${client}`;
    const last = e.updatedMs ?? now - Math.round(e.ageSeconds * 1000);
    const first = e.createdMs ?? null;
    const g = groups.get(key) ?? { node, reason: e.reason, user: e.username, client, count: 0, objects: [], firstSeen: null, lastSeen: '', firstMs: first, lastMs: last };
    g.count += e.count;
    // Command names are logged as the client spelled them (AUTH, auth): one spelling, lower case.
    const object = e.reason === 'auth' || e.reason === 'command' ? e.object.toLowerCase() : e.object;
    if (object && !g.objects.includes(object)) g.objects.push(object);
    g.lastMs = Math.max(g.lastMs, last);
    if (first !== null) g.firstMs = g.firstMs === null ? first : Math.min(g.firstMs, first);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ firstMs, lastMs, ...g }) => ({ ...g, firstSeen: firstMs === null ? null : new Date(firstMs).toISOString(), lastSeen: new Date(lastMs).toISOString() }));
}

/** The server port a client connected to (laddr host:port): tells a TLS listener's clients apart. */
function localPort(laddr: string): number {
  return Number(laddr.slice(laddr.lastIndexOf(':') + 1)) || 0;
}
