import type { Redis } from 'ioredis';
import { parseClientList, type ClientEntry } from '../clients/client-list.js';

export async function clientList(client: Redis): Promise<ClientEntry[]> {
  return parseClientList(String(await client.call('CLIENT', 'LIST')));
}

/** Connections of `user` a client opened at least `minAgeSeconds` ago, per source IP (gridctl's own left out). */
export interface OldConnections {
  node: string;
  source: string;
  user: string;
  connections: number;
  oldestAgeSeconds: number;
  names: string[];
}

export function groupOldConnections(node: string, entries: readonly ClientEntry[], user: string, minAgeSeconds: number): OldConnections[] {
  const bySource = new Map<string, OldConnections>();
  for (const e of entries) {
    if (e.user !== user || e.name === 'gridctl' || e.age < minAgeSeconds) continue;
    const source = e.addr.slice(0, e.addr.lastIndexOf(':')) || e.addr;
    const g = bySource.get(source) ?? { node, source, user, connections: 0, oldestAgeSeconds: 0, names: [] };
    g.connections++;
    g.oldestAgeSeconds = Math.max(g.oldestAgeSeconds, e.age);
    if (e.name && !g.names.includes(e.name)) g.names.push(e.name);
    bySource.set(source, g);
  }
  return [...bySource.values()];
}
