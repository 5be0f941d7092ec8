import { describe, expect, it } from 'vitest';
import { formatRedisUrl, parseHostPort, parseRedisUrl, redactUrl } from '../../../src/core/redis/url.js';

describe('Redis URLs', () => {
  it('parses user, password, host, port and db', () => {
    expect(parseRedisUrl('redis://app:s3cr%40t@10.0.0.5:6380/2')).toEqual({ tls: false, host: '10.0.0.5', port: 6380, username: 'app', password: 's3cr@t', db: 2 });
  });
  it('rediss:// means TLS; default port 6379', () => {
    expect(parseRedisUrl('rediss://redis.internal')).toMatchObject({ tls: true, host: 'redis.internal', port: 6379 });
  });
  it('accepts IPv6 hosts', () => {
    expect(parseRedisUrl('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
  });
  it('password-only URLs have no user', () => {
    expect(parseRedisUrl('redis://:pw1234@h:1')).toMatchObject({ username: undefined, password: 'pw1234' });
  });
  it.each([
    ['http://host:6379', /unsupported scheme "http"/],
    ['redis://host:99999', /invalid Redis URL/],
    ['redis://host:6379/abc', /bad database number/],
    ['not a url', /not a URL/],
  ])('rejects %s as a usage error', (url, re) => {
    expect(() => parseRedisUrl(url)).toThrow(re);
    try {
      parseRedisUrl(url);
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(3);
    }
  });
  it('never repeats a password in a bad-URL message', () => {
    expect(() => parseRedisUrl('redis://u:topsecret@host:notaport')).toThrow(/^(?!.*topsecret)/);
  });
  it('redacts and formats without passwords', () => {
    expect(redactUrl('redis://u:topsecret@h:1/0')).toBe('redis://u:***@h:1/0');
    expect(formatRedisUrl({ tls: true, host: '::1', port: 6380, username: 'admin' })).toBe('rediss://admin@[::1]:6380');
  });
  it('parses host:port pairs', () => {
    expect(parseHostPort('10.0.0.7:26379')).toEqual({ host: '10.0.0.7', port: 26379 });
    expect(parseHostPort('[::1]:26379')).toEqual({ host: '::1', port: 26379 });
    expect(() => parseHostPort('nohost')).toThrow(/host:port/);
  });
});
