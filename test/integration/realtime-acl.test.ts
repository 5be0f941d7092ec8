import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { listStreams } from '../../src/core/stream/list.js';
import { inspectStream } from '../../src/core/stream/inspect.js';
import { applyDeadLetter, defaultDeadLetterStream, planDeadLetter } from '../../src/core/stream/dead-letter.js';
import { applyClaim } from '../../src/core/stream/claim.js';
import { applyTrim, planTrim } from '../../src/core/stream/trim.js';
import { listChannels } from '../../src/core/pubsub/channels.js';
import { checkSubscriberBuffers } from '../../src/core/pubsub/buffers.js';
import { summarizeClients } from '../../src/core/clients/summary.js';

// The permissions docs/stream.md, pubsub.md and clients.md document, and nothing more.
const BASE = ['+ping', '+client|setname', '+info'];
const USERS: Record<string, string[]> = {
  'streams-ops': ['resetkeys', '%R~*', '%RW~stream:*', '%RW~{stream:*', '+ping', '+client|setname', '+scan', '+type', '+xlen', '+xinfo', '+xpending', '+xrange', '+xautoclaim', '+xadd', '+xack', '+xtrim', '+eval', '+memory|usage'],
  'pubsub-monitor': ['resetkeys', 'resetchannels', ...BASE, '+pubsub|channels', '+pubsub|numsub', '+pubsub|numpat', '+pubsub|shardchannels', '+pubsub|shardnumsub', '+client|list', '+config|get'],
  'clients-monitor': ['resetkeys', 'resetchannels', ...BASE, '+client|id', '+client|list', '+config|get'],
};

describe('stream, pubsub and clients over TLS with ACL users holding the documented permissions', () => {
  let d: TestDeployment;
  const as = (user: string) => Deployment.open({ ...d.spec, auth: { username: user, password: `${user}-password-123` } });
  beforeAll(async () => {
    d = await startDeployment({ topology: 'standalone', tls: true, acl: true });
    const admin = (await d.client()) as Redis;
    try {
      for (const [user, perms] of Object.entries(USERS)) await admin.call('ACL', 'SETUSER', user, 'on', `>${user}-password-123`, '-@all', ...perms);
      for (let i = 0; i < 6; i++) await admin.xadd('stream:settlements', '*', 'n', String(i));
      await admin.xgroup('CREATE', 'stream:settlements', 'settlement', '0');
      await admin.xreadgroup('GROUP', 'settlement', 'c1', 'COUNT', 4, 'STREAMS', 'stream:settlements', '>');
      const ids = ((await admin.call('XPENDING', 'stream:settlements', 'settlement', '-', '+', 10)) as string[][]).map((e) => e[0]!);
      await admin.call('XCLAIM', 'stream:settlements', 'settlement', 'c1', 0, ids[0]!, ids[1]!, 'RETRYCOUNT', 7);
    } finally {
      admin.disconnect();
    }
  }, 120_000);
  afterAll(() => d?.stop());

  it('streams-ops lists, inspects and repairs', async () => {
    const dep = await as('streams-ops');
    try {
      expect(dep.spec.tls).toBeTruthy();
      expect((await listStreams(dep, {})).streams[0]?.memoryBytes).toBeGreaterThan(0);
      expect((await inspectStream(dep, 'stream:settlements', {})).groups[0]?.poisonEntries).toBe(2);
      const req = { stream: 'stream:settlements', group: 'settlement', to: defaultDeadLetterStream('stream:settlements'), minDeliveries: 5, limit: 100 };
      const plan = await planDeadLetter(dep, req);
      expect((await applyDeadLetter(dep, req, plan.candidates)).moved).toHaveLength(2);
      expect((await applyClaim(dep, { stream: 'stream:settlements', group: 'settlement', consumer: 'c2', minIdleMs: 0, limit: 100 })).claimed).toHaveLength(2);
      expect((await planTrim(dep, 'stream:settlements', { minId: '0-1' })).toRemove).toBe(0);
      expect(await applyTrim(dep, 'stream:settlements', { maxLen: 3 })).toBe(3);
    } finally {
      await dep.close();
    }
  });

  it('pubsub-monitor reads channels and buffers; clients-monitor the clients (TLS share from tls-port)', async () => {
    const p = await as('pubsub-monitor');
    try {
      expect((await listChannels(p, {})).nodes[0]?.error).toBeUndefined();
      expect((await checkSubscriberBuffers(p)).limits[0]?.limit).not.toBeNull();
    } finally {
      await p.close();
    }
    const c = await as('clients-monitor');
    try {
      const r = await summarizeClients(c, { by: ['user'], poolSize: 50, clientsPercent: 80 });
      expect(r.nodes[0]?.tlsPort).toBe(d.state.nodes[0]!.port);
    } finally {
      await c.close();
    }
  });

  it('a user without +xpending gets a permission error (exit 4) from inspect', async () => {
    const admin = (await d.client()) as Redis;
    await admin.call('ACL', 'SETUSER', 'no-xpending', 'on', '>no-xpending-password-123', 'resetkeys', '%R~*', '-@all', ...BASE, '+type', '+xinfo');
    admin.disconnect();
    const dep = await Deployment.open({ ...d.spec, auth: { username: 'no-xpending', password: 'no-xpending-password-123' } });
    try {
      await expect(inspectStream(dep, 'stream:settlements', {})).rejects.toMatchObject({ code: 'PERMISSION_DENIED', exitCode: 4 });
    } finally {
      await dep.close();
    }
  });
});
