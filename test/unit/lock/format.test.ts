import { describe, expect, it } from 'vitest';
import { recognizeRedissonHash, recognizeStringToken, shortenToken } from '../../../src/core/lock/format.js';
import { lockKeyFor, resolveLockSettings } from '../../../src/core/lock/settings.js';
import { redlockDriftMs, redlockQuorum } from '../../../src/core/lock/redlock.js';

describe('lock formats', () => {
  it('recognises the gateway UUID, node-redlock hex and anything else', () => {
    expect(recognizeStringToken('504abedd-e05a-4414-ab56-228f98429b81')).toBe('uuid');
    expect(recognizeStringToken('0123456789abcdef0123456789abcdef')).toBe('redlock-hex');
    expect(recognizeStringToken('host-1:4242')).toBe('opaque');
  });
  it('recognises a Redisson hash (UUID:threadId -> count) and nothing else', () => {
    expect(recognizeRedissonHash({ '0f8fad5b-d9cb-469f-a165-70867728950e:42': '2' })).toEqual([{ owner: '0f8fad5b-d9cb-469f-a165-70867728950e:42', count: 2 }]);
    expect(recognizeRedissonHash({ owner: 'x' })).toBeUndefined();
    expect(recognizeRedissonHash({})).toBeUndefined();
  });
  it('shortens long tokens only', () => {
    expect(shortenToken('504abedd-e05a-4414-ab56-228f98429b81')).toBe('504abedd…9b81');
    expect(shortenToken('abc')).toBe('abc');
  });
});

describe('lock settings', () => {
  it('turns a NAME into a key unless it already is one', () => {
    expect(lockKeyFor('order_matching:GRX', 'lock:')).toBe('lock:order_matching:GRX');
    expect(lockKeyFor('lock:x', 'lock:')).toBe('lock:x');
    expect(lockKeyFor('myLock', 'lock:', true)).toBe('myLock');
  });
  it('applies defaults after the config, with GRIDCTL_AUDIT_LOG winning', () => {
    const s = resolveLockSettings(undefined, { env: { HOME: '/home/op', XDG_STATE_HOME: '/state' }, cwd: '/work', configDir: '/cfg' });
    expect(s).toMatchObject({ patterns: ['lock:*'], prefix: 'lock:', expiringBelowMs: 5000, auditLog: '/state/gridctl/audit.jsonl' });
    const t = resolveLockSettings({ patterns: ['mutex:*'], expiringBelow: '2s', auditLog: 'audit.jsonl' }, { env: {}, cwd: '/work', configDir: '/cfg' });
    expect(t).toMatchObject({ patterns: ['mutex:*'], expiringBelowMs: 2000, auditLog: '/cfg/audit.jsonl' });
    expect(resolveLockSettings({ auditLog: 'a' }, { env: { GRIDCTL_AUDIT_LOG: '/tmp/x.jsonl' }, cwd: '/work', configDir: '/cfg' }).auditLog).toBe('/tmp/x.jsonl');
    // A relative GRIDCTL_AUDIT_LOG is relative to the cwd handed in, not to the process' own.
    expect(resolveLockSettings(undefined, { env: { GRIDCTL_AUDIT_LOG: 'x.jsonl' }, cwd: '/work', configDir: '/cfg' }).auditLog).toBe('/work/x.jsonl');
  });
  it('Redlock quorum and drift follow the algorithm', () => {
    expect(redlockQuorum(3)).toBe(2);
    expect(redlockQuorum(5)).toBe(3);
    expect(redlockDriftMs(30_000)).toBe(302);
  });
});
