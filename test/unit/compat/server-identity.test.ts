import { describe, expect, it } from 'vitest';
import { describeServer, identityFromInfo } from '../../../src/core/compat/server-identity.js';
import { parseInfo } from '../../../src/core/redis/info.js';

/** The head of INFO server as Valkey 8.0.1 and Redis 7.4.1 built from their tags answered it. */
const VALKEY_801 = '# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\nredis_git_sha1:00000000\r\nserver_mode:standalone\r\n';
const REDIS_741 = '# Server\r\nredis_version:7.4.1\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n';

describe('a server named from its INFO text', () => {
  it('Valkey 8.0.1 is "Valkey 8.0.1" writing RDB 11, not Redis 7.2.4', () => {
    const id = identityFromInfo(parseInfo(VALKEY_801));
    expect(id).toEqual({ engine: 'valkey', version: '8.0.1', rdbVersion: 11 });
    expect(describeServer(id)).toBe('Valkey 8.0.1');
  });

  it('Redis 7.4.1 is "Redis 7.4.1" writing RDB 12', () => {
    const id = identityFromInfo(parseInfo(REDIS_741));
    expect(id).toEqual({ engine: 'redis', version: '7.4.1', rdbVersion: 12 });
    expect(describeServer(id)).toBe('Redis 7.4.1');
  });

  it('a report without a recorded engine (older archives, manifests) reads as Redis', () => {
    expect(describeServer({ version: '7.0.15' })).toBe('Redis 7.0.15');
  });
});
