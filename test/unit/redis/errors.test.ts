import { describe, expect, it } from 'vitest';
import { classifyRedisError, isPermissionError } from '../../../src/core/redis/errors.js';

const ctx = { endpoint: '127.0.0.1:6379', tls: false, hasClientCert: false, timeoutMs: 5000 };
const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('classifyRedisError', () => {
  it.each([
    [err('WRONGPASS invalid username-password pair or user is disabled.'), 'AUTH_FAILED', 4],
    [err('NOAUTH Authentication required.'), 'AUTH_FAILED', 4],
    [err("NOPERM this user has no permissions to run the 'config|get' command"), 'PERMISSION_DENIED', 4],
    [err('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'), 'CONNECTION_REFUSED', 5],
    [err('getaddrinfo ENOTFOUND nohost', 'ENOTFOUND'), 'HOST_NOT_FOUND', 5],
    [err('connect ETIMEDOUT', 'ETIMEDOUT'), 'CONNECTION_TIMEOUT', 5],
    [err('Connection is closed.'), 'UNREACHABLE', 5],
  ])('%s -> %s (exit %d)', (e, code, exit) => {
    const r = classifyRedisError(e, ctx);
    expect(r.code).toBe(code);
    expect(r.exitCode).toBe(exit);
    expect(r.hint ?? '').not.toBe('');
  });

  it('names the missing client certificate for mutual TLS', () => {
    const r = classifyRedisError(err('error:0A00045C:SSL routines::tlsv13 alert certificate required', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), { ...ctx, tls: true });
    expect(r.code).toBe('TLS_FAILED');
    expect(r.exitCode).toBe(5);
    expect(r.hint).toMatch(/--tls-cert and --tls-key/);
  });
  it('names an untrusted server certificate', () => {
    const r = classifyRedisError(err('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), { ...ctx, tls: true });
    expect(r.hint).toMatch(/--tls-ca/);
  });
  it('names a plaintext port spoken to with TLS', () => {
    const r = classifyRedisError(err('error:0A00010B:SSL routines::wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'), { ...ctx, tls: true });
    expect(r.hint).toMatch(/redis:\/\//);
  });
});

describe('permission errors inside scripts', () => {
  it('an ACL refusal inside a script is a permission error (exit 4), with the script sha stripped', () => {
    const e = err("ERR The user executing the script can't run this command or subcommand script: 0123456789abcdef0123456789abcdef01234567, on @user_script:12.");
    expect(isPermissionError(e)).toBe(true);
    const r = classifyRedisError(e, ctx);
    expect(r.code).toBe('PERMISSION_DENIED');
    expect(r.message).not.toMatch(/0123456789abcdef/);
  });
  it('other errors are not', () => {
    expect(isPermissionError(err('ERR unknown command'))).toBe(false);
  });
});
