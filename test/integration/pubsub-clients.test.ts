import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { testContext } from '../helpers/context.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { listChannels } from '../../src/core/pubsub/channels.js';
import { runHealthChecks } from '../../src/core/health/run.js';
import { checkSubscriberBuffers } from '../../src/core/pubsub/buffers.js';
import { watchChannels } from '../../src/core/pubsub/watch.js';
import { summarizeClients } from '../../src/core/clients/summary.js';
import kill from '../../src/commands/clients/kill.js';
import type { GridctlConfig } from '../../src/core/config/schema.js';
import type { LocalNode } from '../../src/core/local/state.js';

const config: GridctlConfig = { pubsub: { critical: [{ channel: 'market:events', minSubscribers: 2 }, { channel: 'system:alerts' }] } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A subscriber that stops reading its socket: Redis queues what is published to it in its output buffer (omem). */
function slowSubscriber(node: LocalNode, channel: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(node.port, node.host, () => {
      s.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${channel.length}\r\n${channel}\r\n`);
      s.once('data', () => {
        s.pause();
        resolve(s);
      });
    });
    s.on('error', reject);
  });
}

for (const topology of ['standalone', 'cluster'] as const) {
  describe(`gridctl pubsub and clients on ${topology}`, () => {
    let d: TestDeployment;
    let dep: Deployment;
    const opened: Redis[] = [];
    let slow: net.Socket | undefined;
    const open = (node: LocalNode, name: string) => {
      const r = new Redis({ host: node.host, port: node.port, connectionName: name, lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      opened.push(r);
      return r;
    };
    const masters = () => d.state.nodes.filter((n) => n.role === 'master');

    beforeAll(async () => {
      d = await startDeployment({ topology });
      dep = await Deployment.open(d.spec);
      const [a, b] = [masters()[0]!, masters()[masters().length - 1]!];
      // market:events: one subscriber on the first master, one on the last (the same one on standalone).
      await open(a, 'ws-fanout').subscribe('market:events');
      await open(b, 'ws-fanout').subscribe('market:events', 'trades:u1');
      await open(a, 'ws-fanout').psubscribe('orders:*');
    }, 180_000);
    afterAll(async () => {
      slow?.destroy();
      for (const r of opened) r.disconnect();
      await dep?.close();
      await d?.stop();
    });

    it('channels: subscribers summed over the nodes, grouped by gateway pattern; a critical channel at 0 is FAIL', async () => {
      const r = await listChannels(dep, config);
      const market = r.channels.find((c) => c.channel === 'market:events')!;
      expect(market.subscribers).toBe(2);
      if (topology === 'cluster') expect(market.nodes).toHaveLength(2);
      expect(r.channels.find((c) => c.channel === 'trades:u1')?.group).toBe('trades:{user_id}');
      expect(r.patternSubscriptions).toBe(1);
      expect(r.critical.map((k) => [k.channel, k.status])).toEqual([['market:events', 'PASS'], ['system:alerts', 'FAIL']]);
      const health = await runHealthChecks(dep, config, { samples: 1 });
      expect(health.deployment.find((c) => c.check === 'subscribers system:alerts')?.status).toBe('FAIL');
    });

    it('watch counts messages per channel and keeps payloads only when asked', async () => {
      const publisher = open(masters()[0]!, 'publisher');
      const publish = async () => {
        await sleep(300);
        for (let i = 0; i < 5; i++) await publisher.publish('trades:u7', `{"n":${i}}`);
        for (let i = 0; i < 3; i++) await publisher.publish('trades:u8', 'x');
        await publisher.publish('market:events', 'not matched');
      };
      const [quiet] = await Promise.all([watchChannels(dep, { pattern: 'trades:*', durationMs: 1200, showPayloads: false }), publish()]);
      expect(quiet.channels.map((c) => [c.channel, c.messages])).toEqual([['trades:u7', 5], ['trades:u8', 3]]);
      expect(quiet.channels.every((c) => c.payloads === undefined)).toBe(true);
      const [shown] = await Promise.all([watchChannels(dep, { pattern: 'trades:u7', durationMs: 1200, showPayloads: true }), publish()]);
      expect(shown.channels[0]!.payloads).toEqual(['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
    });

    it('buffers: a subscriber that stopped reading is flagged as its omem grows; the others pass', async () => {
      const node = masters()[0]!;
      const admin = open(node, 'admin');
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 256mb 16mb 600');
      slow = await slowSubscriber(node, 'system:alerts');
      const payload = 'x'.repeat(512 * 1024);
      for (let i = 0; i < 60; i++) await admin.publish('system:alerts', payload);
      const r = await checkSubscriberBuffers(dep);
      const flagged = r.subscribers.filter((s) => s.status !== 'PASS');
      expect(flagged).toHaveLength(1);
      expect(flagged[0]!.omem).toBeGreaterThan(8 * 1024 * 1024);
      expect(flagged[0]!.channels).toBe(1);
      expect(r.subscribers.filter((s) => s.name === 'ws-fanout').every((s) => s.status === 'PASS')).toBe(true);
      slow.destroy();
      slow = undefined;
    });

    it('clients: grouped by name, pool size exceeded is a finding', async () => {
      const node = masters()[0]!;
      const pool = Array.from({ length: 4 }, () => open(node, 'gateway'));
      await Promise.all(pool.map((r) => r.ping()));
      const r = await summarizeClients(dep, { by: ['name'], poolSize: 3, clientsPercent: 80 });
      expect(r.groups.find((g) => g.key.name === 'gateway')?.count).toBe(4);
      expect(r.findings.map((f) => f.id)).toContain('pool-size');
      expect(r.findings.find((f) => f.id === 'pool-size')?.message).toMatch(/^gateway from 127\.0\.0\.1 to /);
      expect(r.nodes.every((n) => n.maxclients === 10000)).toBe(true);
      if (topology === 'cluster') expect(r.nodes.some((n) => n.replicationLinks > 0)).toBe(true);
    });

    it('clients kill: closes idle connections, never gridctl\'s nor a replication link', async () => {
      const idle = masters().map((n) => open(n, 'idle-app'));
      // Another gridctl run's connection (a backup, a lock run) is as idle, and must survive.
      const otherGridctl = open(masters()[0]!, 'gridctl');
      await Promise.all([...idle, otherGridctl].map((r) => r.ping()));
      await sleep(2100);
      const ctx = testContext({ global: { runDir: path.join(d.dir, 'run'), yes: true } }).ctx;
      const dry = await kill.run({ idle: 2000, dryRun: true }, ctx);
      expect(dry.targets.filter((t) => t.name === 'idle-app')).toHaveLength(idle.length);
      expect(dry.targets.some((t) => t.name === 'gridctl')).toBe(false);
      const r = await kill.run({ idle: 2000 }, ctx);
      expect(r.killed.filter((t) => t.name === 'idle-app')).toHaveLength(idle.length);
      await sleep(200);
      expect(idle.every((c) => c.status === 'end' || c.status === 'close')).toBe(true);
      // The deployment's own (gridctl) connections and the replicas still work.
      expect(await (dep.client as Redis).ping()).toBe('PONG');
      expect(await otherGridctl.ping()).toBe('PONG');
      if (topology === 'cluster') {
        const info = await (await dep.masterClients())[0]!.client.info('replication');
        expect(info).toMatch(/connected_slaves:1/);
      }
    });
  });
}
