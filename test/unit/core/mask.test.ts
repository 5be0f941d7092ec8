import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, maskDeep, maskSecrets, registerSecret } from '../../../src/core/mask.js';
import { GridctlError } from '../../../src/core/errors.js';

describe('secret masking', () => {
  afterEach(() => clearRegisteredSecrets());
  it('masks passwords in URLs, AUTH arguments and key=value pairs', () => {
    expect(maskSecrets('connect redis://app:hunter22@h:1 failed')).toBe('connect redis://app:***@h:1 failed');
    expect(maskSecrets('AUTH app hunter22')).toBe('AUTH app ***');
    expect(maskSecrets('password=hunter22 masterauth: abcdef')).toBe('password=*** masterauth: ***');
  });
  it('masks registered secrets anywhere', () => {
    registerSecret('Zq9-very-secret');
    expect(maskSecrets('value Zq9-very-secret here')).toBe('value *** here');
  });
  it('masks deeply in JSON and by key name', () => {
    registerSecret('abcd1234');
    expect(maskDeep({ a: ['x abcd1234'], password: 'whatever', n: 3 })).toEqual({ a: ['x ***'], password: '***', n: 3 });
  });
  it('GridctlError masks its message and hint', () => {
    registerSecret('s3cretpw');
    const e = new GridctlError('AUTH_FAILED', 'bad s3cretpw', { hint: 'try s3cretpw' });
    expect(e.message).toBe('bad ***');
    expect(e.hint).toBe('try ***');
    expect(e.exitCode).toBe(4);
    expect(JSON.stringify(e.toJSON())).not.toContain('s3cretpw');
  });
});

describe('masking leaves Redis key names alone', () => {
  it('does not mask token:balance:{wallet}:{mint} or password-like key names', () => {
    expect(maskSecrets('token:balance:W1:GRX 12 bytes')).toBe('token:balance:W1:GRX 12 bytes');
    expect(maskSecrets('{"namespace":"token:metadata:{mint}"}')).toBe('{"namespace":"token:metadata:{mint}"}');
    expect(maskSecrets('{"token": "abc123"}')).toBe('{"token": "***"}');
    expect(maskSecrets('token: abc123')).toBe('token: ***');
  });
});
