import type { Redis } from 'ioredis';

/** One connection of CLIENT LIST, as the fields rotation reads. */
export interface ClientEntry {
  addr: string;
  name: string;
  user: string;
  ageSeconds: number;
  /** The server port it connected to (laddr): tells a TLS listener's clients apart. */
  localPort: number;
  /** CLIENT LIST flags: M is a replica's own link to its master (an outgoing connection). */
  flags: string;
}

export function parseClientList(text: string): ClientEntry[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const f = new Map<string, string>();
      for (const kv of line.trim().split(' ')) {
        const i = kv.indexOf('=');
        if (i > 0) f.set(kv.slice(0, i), kv.slice(i + 1));
      }
      const laddr = f.get('laddr') ?? '';
      return { addr: f.get('addr') ?? '', name: f.get('name') ?? '', user: f.get('user') ?? '', ageSeconds: Number(f.get('age') ?? 0), localPort: Number(laddr.slice(laddr.lastIndexOf(':') + 1)) || 0, flags: f.get('flags') ?? '' };
    });
}

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
    if (e.user !== user || e.name === 'gridctl' || e.ageSeconds < minAgeSeconds) continue;
    const source = e.addr.slice(0, e.addr.lastIndexOf(':')) || e.addr;
    const g = bySource.get(source) ?? { node, source, user, connections: 0, oldestAgeSeconds: 0, names: [] };
    g.connections++;
    g.oldestAgeSeconds = Math.max(g.oldestAgeSeconds, e.ageSeconds);
    if (e.name && !g.names.includes(e.name)) g.names.push(e.name);
    bySource.set(source, g);
  }
  return [...bySource.values()];
}
