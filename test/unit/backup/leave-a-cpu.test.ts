import { describe, it, expect } from 'vitest';
import os from 'node:os';
import { isThisHost, parseCpuList } from '../../../src/core/backup/leave-a-cpu.js';

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
});
