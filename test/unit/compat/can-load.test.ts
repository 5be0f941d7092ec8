import { describe, expect, it } from 'vitest';
import { assertCanLoad, canLoad, type BackupOrigin } from '../../../src/core/compat/can-load.js';
import { identityFromInfo, rdbVersionFor, type ServerIdentity } from '../../../src/core/compat/server-identity.js';

const redis = (version: string): ServerIdentity => ({ engine: 'redis', version, rdbVersion: rdbVersionFor('redis', version)! });
const valkey = (version: string): ServerIdentity => ({ engine: 'valkey', version, rdbVersion: rdbVersionFor('valkey', version)! });
const from = (s: ServerIdentity): BackupOrigin => ({ engine: s.engine, version: s.version, rdbVersion: s.rdbVersion! });

describe('identityFromInfo', () => {
  it('names Valkey by server_name / valkey_version, not its redis_version 7.2.4', () => {
    expect(identityFromInfo({ redis_version: '7.2.4', server_name: 'valkey', valkey_version: '8.0.1' })).toEqual({ engine: 'valkey', version: '8.0.1', rdbVersion: 11 });
    expect(identityFromInfo({ redis_version: '7.2.4', server_name: 'valkey', valkey_version: '9.0.0' })).toEqual({ engine: 'valkey', version: '9.0.0', rdbVersion: 80 });
    expect(identityFromInfo({ redis_version: '7.4.1' })).toEqual({ engine: 'redis', version: '7.4.1', rdbVersion: 12 });
    // Redis 8.0's milestones report 7.9.x; 8.6 moved to 13.
    expect(identityFromInfo({ redis_version: '7.9.224' }).rdbVersion).toBe(12);
    expect(identityFromInfo({ redis_version: '8.6.0' }).rdbVersion).toBe(13);
  });

  it('an unstable Valkey build (255.255.255) has no known RDB version', () => {
    expect(identityFromInfo({ redis_version: '7.2.4', server_name: 'valkey', valkey_version: '255.255.255' })).toEqual({ engine: 'valkey', version: '255.255.255' });
  });
});

describe('canLoad: the issue pairs', () => {
  const refused: Array<[string, ServerIdentity, ServerIdentity, RegExp, RegExp]> = [
    ['Redis 7.4 -> Redis 7.2', redis('7.4.1'), redis('7.2.6'), /RDB version 12\) is newer than the target Redis 7\.2\.6 reads \(RDB version 11 at most\)/, /upgrade the target to Redis 7\.4 or newer/],
    ['Redis 8.0 -> Valkey 8', redis('7.9.224'), valkey('8.0.1'), /Redis 7\.4\+'s format .* which Valkey does not read; the target runs Valkey 8\.0\.1/, /restore into Redis 7\.4 or newer/],
    ['Redis 8.6 -> Valkey 9', redis('8.6.0'), valkey('9.0.0'), /RDB version 13\) is in Redis 8\.6\+'s format/, /restore into Redis 8\.6 or newer/],
    ['Valkey 9 -> Redis 8.6', valkey('9.0.0'), redis('8.6.0'), /Valkey 9's format, which no Redis reads; the target runs Redis 8\.6\.0/, /restore into Valkey 9\.0 or newer/],
    ['Valkey 9 -> Redis 7.0', valkey('9.0.0'), redis('7.0.15'), /no Redis reads/, /Valkey 9\.0/],
    ['Valkey 9.2 -> Valkey 9.0', valkey('9.2.0'), valkey('9.0.0'), /RDB version 81\) is newer than the target Valkey 9\.0\.0 reads/, /upgrade the target to Valkey 9\.2/],
    ['Redis 7.2 -> Redis 7.0', redis('7.2.6'), redis('7.0.15'), /RDB version 11\) is newer/, /Redis 7\.2 or newer/],
  ];
  for (const [name, source, target, reason, hint] of refused) {
    it(`refuses ${name}, naming both versions and the way out`, () => {
      const v = canLoad(from(source), target);
      expect(v.ok).toBe(false);
      expect(v.reason).toMatch(reason);
      expect(v.reason).toContain(source.version);
      expect(v.hint).toMatch(hint);
    });
  }

  const allowed: Array<[string, ServerIdentity, ServerIdentity]> = [
    ['Redis 7.0 -> Redis 7.4', redis('7.0.15'), redis('7.4.1')],
    ['Redis 7.2 -> Valkey 8', redis('7.2.6'), valkey('8.0.1')],
    ['Redis 7.0 -> Valkey 9', redis('7.0.15'), valkey('9.0.0')],
    ['Valkey 8 -> Redis 7.2', valkey('8.0.1'), redis('7.2.6')],
    ['Valkey 8 -> Valkey 9', valkey('8.0.1'), valkey('9.0.0')],
    ['Redis 7.4 -> Redis 8.0', redis('7.4.1'), redis('7.9.224')],
    ['same version', redis('7.4.1'), redis('7.4.1')],
  ];
  for (const [name, source, target] of allowed) {
    it(`allows ${name}`, () => expect(canLoad(from(source), target)).toEqual({ ok: true }));
  }

  it('a build whose RDB version is unknown (255.255.255) takes RDB 11 and older, and refuses newer before any key fails', () => {
    const unstable: ServerIdentity = { engine: 'valkey', version: '255.255.255' };
    expect(canLoad({ rdbVersion: 11 }, unstable)).toMatchObject({ ok: true, reason: expect.stringMatching(/cannot tell/) });
    expect(canLoad(from(redis('7.4.1')), unstable)).toMatchObject({ ok: false, reason: expect.stringMatching(/Redis 7\.4\.1, RDB version 12\) may not load into Valkey 255\.255\.255/) });
  });
});

describe('assertCanLoad', () => {
  it('throws one usage error (exit 3) naming the node, both versions and the way out; passes when every node reads it', () => {
    const b = from(redis('7.4.1'));
    expect(() => assertCanLoad(b, [{ ...redis('7.4.1'), address: 'a:1' }])).not.toThrow();
    let err: unknown;
    try {
      assertCanLoad(b, [{ ...redis('7.4.1'), address: 'a:1' }, { ...redis('7.2.6'), address: 'b:2' }]);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'USAGE', exitCode: 3, hint: 'upgrade the target to Redis 7.4 or newer, or restore into a server of that version' });
    expect((err as Error).message).toMatch(/^the backup \(Redis 7\.4\.1, RDB version 12\) is newer than the target Redis 7\.2\.6 reads \(RDB version 11 at most\) \(node b:2\); nothing was written$/);
  });
});
