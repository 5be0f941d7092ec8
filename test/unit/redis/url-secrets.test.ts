import { afterEach, describe, expect, it } from 'vitest';
import { parseRedisUrl, redactUrl } from '../../../src/core/redis/url.js';
import { clearRegisteredSecrets, maskSecrets } from '../../../src/core/mask.js';

/** Issue 24 item 1: a password holding / @ : % # is never printed, parsed or not. */
describe('URLs whose password holds / @ : % #', () => {
  afterEach(() => clearRegisteredSecrets());

  it.each([
    ['redis://u1:Secr3t/2026@127.0.0.1:6379', 'Secr3t/2026', 6379],
    ['redis://u1:Sec@ret@127.0.0.1:6380/2', 'Sec@ret', 6380],
    ['redis://u1:Se#c:r/et@[::1]:7000', 'Se#c:r/et', 7000],
    ['redis://u1:p%40ss%2Fw0rd@h:1', 'p@ss/w0rd', 1],
  ])('%s parses, with the password whole', (url, password, port) => {
    expect(parseRedisUrl(url)).toMatchObject({ username: 'u1', password, port });
  });

  it.each([
    ['redis://u1:Sec%zzret@127.0.0.1:6379', /"%" not followed by two hex digits/, 'Sec%zzret'],
    ['redis://u1:Secr3t/2026@127.0.0.1:notaport', /invalid Redis URL/, 'Secr3t/2026'],
    ['http://u1:Qq/9@x#y@host:1', /unsupported scheme/, 'Qq/9@x#y'],
  ])('%s is a usage error that never repeats the password, which is registered as a secret', (url, re, password) => {
    let err: (Error & { exitCode?: number; hint?: string }) | undefined;
    try {
      parseRedisUrl(url);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.message).toMatch(re);
    expect(err?.exitCode).toBe(3);
    expect(`${err?.message} ${err?.hint}`).not.toContain(password);
    expect(maskSecrets(`later: ${password} again`)).toBe('later: *** again');
  });

  it('the printed-text pattern takes the userinfo to its last @, and keeps URLs in a list apart', () => {
    expect(maskSecrets('invalid "redis://u1:Secr3t/2026@127.0.0.1:6379" here')).toBe('invalid "redis://u1:***@127.0.0.1:6379" here');
    expect(maskSecrets('redis://u1:Sec@ret@h:1')).toBe('redis://u1:***@h:1');
    expect(maskSecrets('--redlock redis://a:pw/1@h1:1,redis://c:pw#2@h2:2')).toBe('--redlock redis://a:***@h1:1,redis://c:***@h2:2');
    expect(maskSecrets('url: rediss://admin:x%zz:y@10.0.0.1:6380')).toBe('url: rediss://admin:***@10.0.0.1:6380');
    expect(redactUrl('redis://u1:Sec@ret/1@h:1/0')).toBe('redis://u1:***@h:1/0');
  });
});
