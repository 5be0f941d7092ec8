/**
 * One line of CLIENT LIST: `id=7 addr=10.0.0.5:51234 laddr=10.0.0.1:6380 fd=8 name=api age=..`.
 * Values hold no spaces (CLIENT SETNAME refuses them); a field may be empty.
 */
export interface ClientEntry {
  id: string;
  addr: string;
  laddr: string;
  name: string;
  user: string;
  /** Seconds since the connection was made / since its last command. */
  age: number;
  idle: number;
  flags: string;
  /** Subscriptions: channels, patterns, shard channels. */
  sub: number;
  psub: number;
  ssub: number;
  qbuf: number;
  omem: number;
  totMem: number;
  cmd: string;
  libName: string;
  libVer: string;
  /** Every field as Redis gave it. */
  raw: Record<string, string>;
}

export function parseClientList(text: string): ClientEntry[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map(parseClientLine);
}

export function parseClientLine(line: string): ClientEntry {
  const raw: Record<string, string> = {};
  for (const part of line.split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) raw[part.slice(0, eq)] = part.slice(eq + 1);
  }
  const n = (k: string) => Number(raw[k] ?? 0) || 0;
  return {
    id: raw.id ?? '',
    addr: raw.addr ?? '',
    laddr: raw.laddr ?? '',
    name: raw.name ?? '',
    user: raw.user ?? 'default',
    age: n('age'),
    idle: n('idle'),
    flags: raw.flags ?? 'N',
    sub: n('sub'),
    psub: n('psub'),
    ssub: n('ssub'),
    qbuf: n('qbuf'),
    omem: n('omem'),
    totMem: n('tot-mem'),
    cmd: raw.cmd ?? '',
    libName: raw['lib-name'] ?? '',
    libVer: raw['lib-ver'] ?? '',
    raw,
  };
}

/** Replication links (a replica's connection to its master, a master's to its replicas): never killed, never counted as app clients. */
export function isReplicationLink(c: ClientEntry): boolean {
  return /[SM]/.test(c.flags);
}

/** host of an `ip:port` / `[v6]:port` address. */
export function hostOf(addr: string): string {
  const i = addr.lastIndexOf(':');
  return (i > 0 ? addr.slice(0, i) : addr).replace(/^\[|\]$/g, '');
}

export function portOf(addr: string): number {
  return Number(addr.slice(addr.lastIndexOf(':') + 1));
}
