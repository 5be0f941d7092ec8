import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { inspectStream } from '../../src/core/stream/inspect.js';
import { listChannels } from '../../src/core/pubsub/channels.js';
import { summarizeClients } from '../../src/core/clients/summary.js';

describe('stream, pubsub and clients through Sentinel', () => {
  let d: TestDeployment;
  let dep: Deployment;
  let sub: Redis | undefined;
  beforeAll(async () => {
    d = await startDeployment({ topology: 'sentinel' });
    dep = await Deployment.open(d.spec);
    const master = dep.client as Redis;
    for (let i = 0; i < 5; i++) await master.xadd('stream:orders', '*', 'n', String(i));
    await master.xgroup('CREATE', 'stream:orders', 'matching', '0');
    await master.xreadgroup('GROUP', 'matching', 'm1', 'COUNT', 2, 'STREAMS', 'stream:orders', '>');
    // A subscriber on a replica: Pub/Sub works there too, and must be counted.
    sub = await d.node(d.state.nodes.find((n) => n.role === 'replica')!);
    await sub.subscribe('market:events');
  }, 180_000);
  afterAll(async () => {
    sub?.disconnect();
    await dep?.close();
    await d?.stop();
  });

  it('inspects the stream on the master Sentinel names', async () => {
    const r = await inspectStream(dep, 'stream:orders', {});
    expect([r.groups[0]?.pending, r.groups[0]?.lag]).toEqual([2, 3]);
    expect(r.coverage).toMatchObject({ topology: 'sentinel', complete: true });
  });

  it('counts a subscriber connected to a replica, and the replicas\' clients', async () => {
    const channels = await listChannels(dep, {});
    expect(channels.channels.find((c) => c.channel === 'market:events')?.subscribers).toBe(1);
    expect(channels.nodes.some((n) => n.role === 'replica')).toBe(true);
    const clients = await summarizeClients(dep, { by: ['user'], poolSize: 50, clientsPercent: 80 });
    expect(clients.nodes.some((n) => n.role === 'replica')).toBe(true);
    expect(clients.nodes.find((n) => n.role === 'master')!.replicationLinks).toBeGreaterThan(0);
  });
});
