import { GridctlError } from '../errors.js';
import type { ConnectionSpec } from './spec.js';

export interface ErrorContext {
  /** host:port (or "sentinel host:port") being talked to. */
  endpoint: string;
  tls: boolean;
  hasClientCert: boolean;
  timeoutMs: number;
  username?: string | undefined;
}

/** What an error message needs to know about the connection it happened on. */
export function errorContext(spec: ConnectionSpec, endpoint: string, forSentinel = false): ErrorContext {
  const tls = forSentinel ? spec.sentinel?.tls : spec.tls;
  const auth = forSentinel ? spec.sentinel?.auth : spec.auth;
  return {
    endpoint,
    tls: Boolean(tls),
    hasClientCert: Boolean(tls?.cert),
    timeoutMs: spec.timeoutMs,
    username: auth?.username,
  };
}

/**
 * An ACL refusal. Inside a script Redis 7.0 does not answer NOPERM but "ERR The user executing the
 * script can't run this command or subcommand", so both count (memory, backup and the order-book
 * audit run server-side scripts).
 */
export function isPermissionError(err: unknown): boolean {
  const msg = String((err as Error)?.message ?? err);
  return /(^|\s)NOPERM\b/.test(msg) || /user executing the script can't run this command|no permissions to (run|access)/i.test(msg);
}

const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * Map whatever ioredis or the socket threw into one GridctlError with the documented exit code
 * (auth -> 4, network/TLS/timeout -> 5) and a hint that names the likely cause.
 */
export function classifyRedisError(err: unknown, ctx: ErrorContext): GridctlError {
  if (err instanceof GridctlError) return err;
  const e = err as NodeJS.ErrnoException & { message?: string };
  const code = e?.code ?? '';
  const msg = String(e?.message ?? err);
  const who = ctx.username ? `user "${ctx.username}"` : 'the default user';

  if (/^WRONGPASS/.test(msg) || /invalid username-password pair|invalid password/i.test(msg)) {
    return new GridctlError('AUTH_FAILED', `authentication failed at ${ctx.endpoint} for ${who}`, {
      hint: 'check the user name and password (--url, REDIS_PASSWORD, or the target\'s passwordFile/passwordEnv)',
      cause: err,
    });
  }
  if (/^NOAUTH/.test(msg)) {
    return new GridctlError('AUTH_FAILED', `${ctx.endpoint} requires authentication`, {
      // Worded so that the secret masking leaves it alone: no URL with a password, no "password: X".
      hint: 'put the user and password in the URL (user:password before the host), or the user in the URL and the password in REDIS_PASSWORD',
      cause: err,
    });
  }
  if (isPermissionError(err)) {
    return new GridctlError('PERMISSION_DENIED', `permission denied at ${ctx.endpoint} for ${who}: ${msg.replace(/^(ERR\s+)?NOPERM\s*/, '').replace(/ script: [0-9a-f]{40}.*$/s, '')}`, {
      hint: 'grant the ACL permissions this command needs (see `gridctl help acl` or the command\'s documentation)',
      cause: err,
    });
  }
  if (/^DENIED/.test(msg)) {
    return new GridctlError('PERMISSION_DENIED', `${ctx.endpoint} refused the connection: protected mode`, {
      hint: 'the server runs in protected mode with a password-less default user; configure ACL users or bind/protected-mode',
      cause: err,
    });
  }
  if (code === 'ECONNREFUSED') {
    return new GridctlError('CONNECTION_REFUSED', `connection refused by ${ctx.endpoint}`, {
      hint: 'is Redis running and listening on that address? A TLS-only server listens on its tls-port only',
      cause: err,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new GridctlError('HOST_NOT_FOUND', `cannot resolve host of ${ctx.endpoint}`, {
      hint: 'check the host name (DNS) in the URL or target',
      cause: err,
    });
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(msg)) {
    return new GridctlError('CONNECTION_TIMEOUT', `no answer from ${ctx.endpoint} within ${ctx.timeoutMs} ms`, {
      hint: ctx.tls
        ? 'check the address, firewall, and that the port speaks TLS; raise --timeout for slow links'
        : 'check the address and firewall; if the server is TLS-only use rediss:// and its tls-port; raise --timeout for slow links',
      cause: err,
    });
  }
  const isTlsError = TLS_CODE.test(code) || /ssl|tls|certificate|handshake|alert/i.test(msg);
  if (isTlsError || (ctx.tls && (code === 'ECONNRESET' || /socket hang up|Connection is closed/i.test(msg)))) {
    return new GridctlError('TLS_FAILED', `TLS handshake with ${ctx.endpoint} failed: ${tlsCause(code, msg, ctx)}`, {
      hint: tlsHint(code, msg, ctx),
      cause: err,
    });
  }
  if (code === 'ECONNRESET' || /Connection is closed|socket hang up|EPIPE/i.test(msg)) {
    return new GridctlError('UNREACHABLE', `${ctx.endpoint} closed the connection`, {
      hint: 'if the server is TLS-only, connect with rediss:// to its tls-port (and --tls-ca); otherwise check the server log',
      cause: err,
    });
  }
  const moved = /^(?:MOVED|ASK) (\d+) (\S+)/.exec(msg);
  if (moved) {
    // Only a connection to one node (--node-only) sees a redirect: a Cluster client follows it.
    return new GridctlError('USAGE', `${ctx.endpoint} does not serve that key: its slot ${moved[1]} lives on ${moved[2]} (this connection reaches one node, --node-only)`, {
      hint: 'drop --node-only: gridctl then reaches the whole Cluster from this node',
      cause: err,
    });
  }
  if (/^(ERR|LOADING|MASTERDOWN|READONLY|BUSY|CLUSTERDOWN)/.test(msg)) {
    return new GridctlError('OPERATION_FAILED', `${ctx.endpoint}: ${msg}`, { cause: err });
  }
  return new GridctlError('UNREACHABLE', `cannot talk to ${ctx.endpoint}: ${msg}`, { cause: err });
}

function tlsCause(code: string, msg: string, ctx: ErrorContext): string {
  if (/certificate required/i.test(msg) || (!ctx.hasClientCert && /handshake failure|ECONNRESET|hang up|closed/i.test(`${code} ${msg}`)))
    return 'the server rejected the client (no client certificate presented)';
  if (/wrong version number|packet length too long|unknown protocol/i.test(msg)) return 'the server did not answer in TLS';
  if (/self.signed|UNABLE_TO_VERIFY|unable to get local issuer|unable to verify/i.test(`${code} ${msg}`))
    return 'the server certificate is not trusted';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /altname|Hostname\/IP does not match/i.test(msg))
    return 'the server certificate does not name this host';
  if (/expired/i.test(`${code} ${msg}`)) return 'a certificate has expired';
  if (/unknown ca|bad certificate|certificate unknown/i.test(msg)) return 'the server rejected the client certificate';
  return `${code || 'TLS error'}`;
}

function tlsHint(code: string, msg: string, ctx: ErrorContext): string {
  const cause = tlsCause(code, msg, ctx);
  if (cause.includes('no client certificate')) return 'the server requires mutual TLS (tls-auth-clients yes): pass --tls-cert and --tls-key';
  if (cause.includes('did not answer in TLS')) return 'this port speaks plain Redis: use redis:// or the server\'s tls-port';
  if (cause.includes('not trusted')) return 'pass --tls-ca with the CA certificate that signed the server certificate';
  if (cause.includes('does not name')) return 'connect by a name in the certificate\'s SAN, or pass --tls-servername';
  if (cause.includes('expired')) return 'renew the certificate (gridctl check reports expiring certificates)';
  if (cause.includes('rejected the client certificate')) return 'the client certificate is not signed by a CA the server trusts (tls-ca-cert-file)';
  return 'check --tls-ca / --tls-cert / --tls-key and that the port speaks TLS';
}
