import { describe, expect, it } from 'vitest';
import { appKeyPatterns, buildInitialConfig, defaultAnswers, resolveModel } from '../../../src/core/scaffold/model.js';
import { configSchema } from '../../../src/core/config/schema.js';
import { DEFAULT_NAMESPACES } from '../../../src/core/config/defaults.js';

describe('deployment model', () => {
  it('--yes defaults: production, sentinel, TLS, store, 7.0; the written model validates against the schema', () => {
    const a = defaultAnswers();
    expect(a).toMatchObject({ profile: 'production', topology: 'sentinel', tls: true, persistence: 'store', version: '7.0', maxmemory: '1gb' });
    const config = buildInitialConfig(a);
    expect(configSchema.safeParse(config).success).toBe(true);
    const m = resolveModel(config);
    expect(m.nodes.map((n) => n.role)).toEqual(['master', 'replica', 'replica']);
    expect(m.sentinels).toHaveLength(3);
    expect(m.quorum).toBe(2);
    expect(m.policy).toBe('noeviction');
  });

  it('development defaults to standalone without TLS', () => {
    expect(defaultAnswers({ profile: 'development' })).toMatchObject({ topology: 'standalone', tls: false });
  });

  it('cluster: the first nodes are masters, the rest replicate them in order', () => {
    const m = resolveModel(buildInitialConfig(defaultAnswers({ topology: 'cluster' })));
    expect(m.nodes.filter((n) => n.role === 'master').map((n) => n.name)).toEqual(['redis-1', 'redis-2', 'redis-3']);
    expect(m.nodes.filter((n) => n.role === 'replica').map((n) => n.master)).toEqual(['redis-1', 'redis-2', 'redis-3']);
    expect(m.nodes.every((n) => n.busPort === n.port + 10000)).toBe(true);
  });

  it('rejects layouts that cannot run or are not safe', () => {
    const base = buildInitialConfig(defaultAnswers({ topology: 'sentinel' }));
    expect(() => resolveModel({ ...base, topology: { ...base.topology!, sentinels: base.topology!.sentinels!.slice(0, 2) } })).toThrow(/at least 3 sentinels|odd/);
    const cl = buildInitialConfig(defaultAnswers({ topology: 'cluster' }));
    expect(() => resolveModel({ ...cl, topology: { ...cl.topology!, nodes: cl.topology!.nodes!.slice(0, 4) } })).toThrow(/at least 3 masters/);
    expect(() => resolveModel({ ...base, users: { app: { name: 'default' } } })).toThrow(/may not be "default"/);
    const dup = base.topology!.nodes!.map((n) => ({ ...n, host: '10.0.0.11' }));
    expect(() => resolveModel({ ...base, topology: { ...base.topology!, nodes: dup } })).toThrow(/listen on 10.0.0.11:6379/);
    expect(() => resolveModel({ ...base, topology: { ...base.topology!, nodes: [{ name: 'redis-1', host: 'redis-1.internal' }, ...base.topology!.nodes!.slice(1)] } })).toThrow(/give its ip/);
  });

  it('app key patterns come from the namespaces: placeholders become *, covered names go, never ~*', () => {
    const keys = appKeyPatterns(DEFAULT_NAMESPACES, []);
    expect(keys).toContain('order:*');
    expect(keys).toContain('orderbook:buy');
    expect(keys).toContain('lock:*');
    expect(keys).toContain('settlement:*');
    expect(keys).not.toContain('settlement:pending');
    expect(keys).not.toContain('*');
    expect(() => appKeyPatterns([], ['*'])).toThrow(/not allowed/);
  });
});
