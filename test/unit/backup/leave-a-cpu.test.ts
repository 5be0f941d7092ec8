import { describe, it, expect } from 'vitest';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { isThisHost, leaveACpuToLocalRedis, parseCpuList } from '../../../src/core/backup/leave-a-cpu.js';
import type { ConnectionSpec } from '../../../src/core/redis/spec.js';

describe('leave-a-cpu helpers', () => {
  it('parseCpuList reads the kernel CPU-list format', () => {
    expect(parseCpuList('0-3,8,10-11')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('1')).toEqual([1]);
    expect(parseCpuList('')).toEqual([]);
  });

  it('isThisHost: loopback names and addresses and this host\'s own interface addresses, nothing else', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'redis.localhost']) expect(isThisHost(h), h).toBe(true);
    for (const h of ['10.255.255.254', 'redis.example.com', '2001:db8::1']) expect(isThisHost(h), h).toBe(false);
    const own = Object.values(os.networkInterfaces()).flat().find((a) => a && !a.internal);
    if (own) expect(isThisHost(own.address)).toBe(true);
  });

  it('leaves the CPUs alone for a Cluster (several local masters need more than one CPU) and for a deployment on other hosts', async () => {
    const cpus = () => /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    const spec = (topology: ConnectionSpec['topology'], host: string): ConnectionSpec => ({ topology, nodes: [{ host, port: 7000 }], auth: {}, timeoutMs: 1000, source: 'test' });
    const before = cpus();
    expect(await leaveACpuToLocalRedis(spec('cluster', '127.0.0.1'))).toBeUndefined();
    expect(await leaveACpuToLocalRedis(spec('standalone', 'redis.example.com'))).toBeUndefined();
    expect(await leaveACpuToLocalRedis(spec('sentinel', '10.255.255.254'))).toBeUndefined();
    expect(cpus()).toBe(before);
  });
});
