import { readFileSync } from 'node:fs';
import path from 'node:path';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { ServerUnit } from './model.js';
import { localPath } from './paths.js';

/** TLS material a server config points at, read once per path. */
export interface LoadedPem<T> {
  path: string;
  value?: T;
  error?: string;
}

const certCache = new Map<string, LoadedPem<X509Certificate[]>>();
const keyCache = new Map<string, LoadedPem<KeyObject>>();

/** Resolve a path from a server config: absolute, else against `dir` (Redis chdirs there), else the file's folder. */
export function resolveServerPath(s: ServerUnit, p: string): string {
  if (path.isAbsolute(p)) return localPath(p, s.pathMap ?? []);
  const dir = s.eff.value('dir', false);
  return path.resolve(dir && path.isAbsolute(dir) ? dir : path.dirname(s.conf.file), p);
}

function readErr(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : (err as Error).message;
}

/** Every certificate in a PEM bundle. */
export function loadCerts(file: string): LoadedPem<X509Certificate[]> {
  const hit = certCache.get(file);
  if (hit) return hit;
  let out: LoadedPem<X509Certificate[]>;
  try {
    const text = readFileSync(file, 'utf8');
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (!blocks.length) out = { path: file, error: 'contains no PEM certificate' };
    else out = { path: file, value: blocks.map((b) => new X509Certificate(b)) };
  } catch (err) {
    out = { path: file, error: err instanceof Error && !(err as NodeJS.ErrnoException).code ? `cannot be parsed: ${err.message}` : readErr(err) };
  }
  certCache.set(file, out);
  return out;
}

export function loadKey(file: string, passphrase?: string): LoadedPem<KeyObject> {
  const hit = keyCache.get(file);
  if (hit) return hit;
  let out: LoadedPem<KeyObject>;
  try {
    const text = readFileSync(file, 'utf8');
    out = { path: file, value: createPrivateKey(passphrase ? { key: text, passphrase } : text) };
  } catch (err) {
    out = { path: file, error: (err as NodeJS.ErrnoException).code?.startsWith('E') && !(err as NodeJS.ErrnoException).code?.startsWith('ERR_') ? readErr(err) : `cannot be parsed as a private key: ${(err as Error).message}` };
  }
  keyCache.set(file, out);
  return out;
}

/** DNS names and IPs in a certificate's subjectAltName. */
export function sanEntries(cert: X509Certificate): { dns: string[]; ips: string[] } {
  const dns: string[] = [];
  const ips: string[] = [];
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4).toLowerCase());
    else if (part.startsWith('IP Address:')) ips.push(part.slice(11).toLowerCase());
  }
  return { dns, ips };
}

export function sanCovers(cert: X509Certificate, host: string): boolean {
  const { dns, ips } = sanEntries(cert);
  const h = host.toLowerCase();
  if (ips.includes(h)) return true;
  return dns.some((d) => d === h || (d.startsWith('*.') && h.endsWith(d.slice(1)) && !h.slice(0, -d.length + 1).includes('.')));
}
