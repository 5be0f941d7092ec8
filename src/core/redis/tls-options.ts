import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { TlsOptions } from './spec.js';

/** The spec's TLS settings as node:tls options, shared by ioredis (connect.ts) and raw sockets. */
export function toTlsOptions(tls: TlsOptions | undefined): TlsConnectionOptions | undefined {
  if (!tls) return undefined;
  const o: TlsConnectionOptions = {};
  if (tls.ca) o.ca = tls.ca;
  if (tls.cert) o.cert = tls.cert;
  if (tls.key) o.key = tls.key;
  if (tls.servername) o.servername = tls.servername;
  if (tls.insecure) o.rejectUnauthorized = false;
  return o;
}
