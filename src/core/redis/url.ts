import { GridctlError } from '../errors.js';
import { registerUrlSecrets, urlUserinfo } from '../mask.js';

export interface ParsedRedisUrl {
  tls: boolean;
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number | undefined;
}

/**
 * Parse redis://[user[:password]@]host[:port][/db] and rediss://… (TLS). The password is registered
 * as a secret before anything else (mask.ts), and may be typed raw: `/ @ : #` in it are taken as
 * part of it (the userinfo runs to the last @), `%XX` is decoded. A bad URL is a usage error
 * (exit 3), and its message never repeats the password.
 */
export function parseRedisUrl(given: string): ParsedRedisUrl {
  registerUrlSecrets(given);
  const raw = given.trim();
  let url: URL;
  try {
    url = new URL(withEncodedUserinfo(raw));
  } catch (err) {
    if (err instanceof GridctlError) throw err;
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
  if (dbParam !== null) {
    if (!/^\d+$/.test(dbParam)) throw badUrl(raw, `bad database number "${dbParam}"`);
    db = Number(dbParam);
  }
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

/**
 * The URL with its user and password percent-encoded where the URL syntax would misread them
 * (`/ @ : # ? [ ]`, blanks), keeping `%XX` escapes already there. A `%` that starts no escape is
 * refused: it is a typo or a literal % that has to be written %25.
 */
function withEncodedUserinfo(raw: string): string {
  const info = urlUserinfo(raw);
  if (!info) return raw;
  const scheme = raw.slice(0, raw.indexOf('://'));
  const rest = raw.slice(raw.indexOf('://') + 3 + info.user.length + (info.password === undefined ? 0 : info.password.length + 1) + 1);
  const encode = (part: string, what: string) => {
    if (/%(?![0-9a-f]{2})/i.test(part)) {
      throw badUrl(raw, `the ${what} has a "%" not followed by two hex digits`, 'write a literal % as %25 (and percent-encode the rest the same way), or give the password with --password-file');
    }
    return part.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=%]/g, (c) => encodeURIComponent(c));
  };
  const user = encode(info.user, 'user name');
  return `${scheme}://${user}${info.password === undefined ? '' : `:${encode(info.password, 'password')}`}@${rest}`;
}

function badUrl(raw: string, why: string, hint = 'expected redis://host[:port][/db], with user:password@ before the host, or rediss://… for TLS'): GridctlError {
  return new GridctlError('USAGE', `invalid Redis URL "${redactUrl(raw)}": ${why}`, { hint });
}

/** The URL with any password replaced, for messages. Works on strings that do not parse, too. */
export function redactUrl(raw: string): string {
  const info = urlUserinfo(raw);
  if (info?.password === undefined) return raw;
  const scheme = raw.slice(0, raw.indexOf('://'));
  const at = raw.indexOf('://') + 3 + info.user.length + info.password.length + 1;
  return `${scheme}://${info.user}:***${raw.slice(at)}`;
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
