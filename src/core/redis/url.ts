import { GridctlError } from '../errors.js';

export interface ParsedRedisUrl {
  tls: boolean;
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number | undefined;
}

/**
 * Parse redis://[user[:password]@]host[:port][/db] and rediss://… (TLS). A bad URL is a usage
 * error (exit 3), and the message never repeats the password it may contain.
 */
export function parseRedisUrl(raw: string): ParsedRedisUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badUrl(raw, 'not a URL');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'redis' && scheme !== 'rediss') throw badUrl(raw, `unsupported scheme "${scheme}"`);
  if (!url.hostname) throw badUrl(raw, 'no host');
  const port = url.port ? Number(url.port) : 6379;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badUrl(raw, `bad port "${url.port}"`);
  let db: number | undefined;
  const dbPart = url.pathname.replace(/^\//, '');
  if (dbPart) {
    if (!/^\d+$/.test(dbPart)) throw badUrl(raw, `bad database number "${dbPart}"`);
    db = Number(dbPart);
  }
  const dbParam = url.searchParams.get('db');
  if (dbParam !== null) db = Number(dbParam);
  const decode = (s: string) => (s ? decodeURIComponent(s) : undefined);
  return {
    tls: scheme === 'rediss',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    username: decode(url.username),
    password: decode(url.password),
    db,
  };
}

function badUrl(raw: string, why: string): GridctlError {
  return new GridctlError('USAGE', `invalid Redis URL "${redactUrl(raw)}": ${why}`, {
    hint: 'expected redis://[user[:password]@]host[:port][/db] or rediss://… for TLS',
  });
}

/** The URL with any password replaced, for messages. Works on strings that do not parse, too. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z+]+:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/** Build a URL for display: never contains a password. */
export function formatRedisUrl(parts: { tls: boolean; host: string; port: number; username?: string | undefined; db?: number | undefined }): string {
  const host = parts.host.includes(':') ? `[${parts.host}]` : parts.host;
  const user = parts.username ? `${encodeURIComponent(parts.username)}@` : '';
  const db = parts.db ? `/${parts.db}` : '';
  return `${parts.tls ? 'rediss' : 'redis'}://${user}${host}:${parts.port}${db}`;
}

export function parseHostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value.trim());
  if (!m) throw new GridctlError('USAGE', `invalid address "${value}": expected host:port`);
  return { host: (m[1] ?? m[2])!, port: Number(m[3]) };
}
