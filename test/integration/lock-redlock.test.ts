import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { RedlockLock } from '../../src/core/lock/redlock.js';
import { acquireWithWait } from '../../src/core/lock/acquire.js';
import { endpointLabel } from '../../src/core/redis/connect.js';

/** Three independent standalone masters: Redlock's setting. */
let masters: TestDeployment[] = [];
let clients: Redis[] = [];
const stopped = new Set<number>();

const specs = () => masters.map((m) => ({ address: endpointLabel(m.spec.nodes[0]!), spec: { ...m.spec, timeoutMs: 500 } }));

beforeAll(async () => {
  masters = await Promise.all([0, 1, 2].map(() => startDeployment({ topology: 'standalone' })));
  clients = (await Promise.all(masters.map((m) => m.client()))) as Redis[];
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(masters.map((m, i) => (stopped.has(i) ? undefined : m.stop())));
});

async function stopMaster(i: number) {
  clients[i]!.disconnect();
  await masters[i]!.stop();
  stopped.add(i);
}

describe('Redlock over three independent masters', () => {
  it('acquires on all, refuses a second holder, and releases on all', async () => {
    const lock = await RedlockLock.open('lock:nightly', specs());
    try {
      const a = await acquireWithWait(lock, { ttlMs: 10_000, waitMs: 0 });
      expect(a.mode).toBe('redlock');
      expect(a.validityMs).toBeLessThanOrEqual(10_000 - 102);
      expect(a.instances.filter((i) => i.ok)).toHaveLength(3);
      for (const c of clients) expect(await c.get('lock:nightly')).toBe(a.token);
      await expect(acquireWithWait(lock, { ttlMs: 10_000, waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED' });
      expect((await lock.release('wrong')).released).toBe(false);
      for (const c of clients) expect(await c.get('lock:nightly')).toBe(a.token);
      expect((await lock.release(a.token)).released).toBe(true);
      for (const c of clients) expect(await c.exists('lock:nightly')).toBe(0);
    } finally {
      await lock.close();
    }
  });

  it('a minority holding the key is not enough for anyone, and the failed attempt leaves nothing behind', async () => {
    await clients[0]!.set('lock:split', 'someone-else', 'EX', 30);
    await clients[1]!.set('lock:split', 'someone-else', 'EX', 30);
    const lock = await RedlockLock.open('lock:split', specs());
    try {
      await expect(acquireWithWait(lock, { ttlMs: 5000, waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED', exitCode: 1 });
      expect(await clients[2]!.exists('lock:split')).toBe(0);
    } finally {
      await lock.close();
    }
  });

  it('acquires with one of three masters down', async () => {
    await stopMaster(2);
    const lock = await RedlockLock.open('lock:one-down', specs());
    try {
      const a = await acquireWithWait(lock, { ttlMs: 5000, waitMs: 0 });
      expect(a.instances.filter((i) => i.ok).map((i) => i.address)).toHaveLength(2);
      expect(a.instances.find((i) => !i.ok)!.address).toBe(specs()[2]!.address);
      expect((await lock.extend(a.token, 5000)).extended).toBe(true);
      const r = await lock.release(a.token);
      expect(r.released).toBe(true);
      expect(r.instances.filter((i) => i.detail === 'released')).toHaveLength(2);
    } finally {
      await lock.close();
    }
  });

  it('fails cleanly with two of three down: UNREACHABLE, nothing left locked', async () => {
    await stopMaster(1);
    const lock = await RedlockLock.open('lock:two-down', specs());
    try {
      await expect(acquireWithWait(lock, { ttlMs: 5000, waitMs: 0 })).rejects.toMatchObject({ code: 'UNREACHABLE', exitCode: 5 });
      expect(await clients[0]!.exists('lock:two-down')).toBe(0);
    } finally {
      await lock.close();
    }
  });
});
