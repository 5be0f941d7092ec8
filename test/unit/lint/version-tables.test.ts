import { describe, expect, it } from 'vitest';
import { knownDirectives } from '../../../src/core/lint/versions/directives.js';
import { knownCommands } from '../../../src/core/lint/versions/commands.js';
import { supportsDirective } from '../../../src/core/scaffold/versions.js';

/**
 * Redis 8.0 (8.0-m01, redis_version 7.9.224) answered CONFIG GET *, COMMAND LIST, the subcommands
 * of COMMAND and ACL CAT exactly as 7.4.1 did (docs/compatibility.md): its tables are 7.4's.
 */
describe('check and init tables for --server-version 8.0', () => {
  it("8.0 accepts exactly 7.4's directives, so a 7.4 directive is fine for 8.0 and an error for 7.0", () => {
    expect([...knownDirectives('8.0')].sort()).toEqual([...knownDirectives('7.4')].sort());
    expect(knownDirectives('8.0').has('hide-user-data-from-log')).toBe(true);
    expect(knownDirectives('7.0').has('hide-user-data-from-log')).toBe(false);
    expect(supportsDirective('8.0', 'max-new-connections-per-cycle')).toBe(true);
    expect(supportsDirective('8.0', 'availability-zone')).toBe(false);
  });

  it("8.0 knows exactly 7.4's commands (hash-field expiry included), in redis.conf and in sentinel.conf", () => {
    expect([...knownCommands('8.0')].sort()).toEqual([...knownCommands('7.4')].sort());
    expect(knownCommands('8.0').has('hexpire')).toBe(true);
    expect([...knownCommands('8.0', true)].sort()).toEqual([...knownCommands('7.4', true)].sort());
  });
});
