import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../../helpers/redis.js';
import { hasHashFieldTtl, testServers } from '../../helpers/servers.js';
import { Deployment } from '../../../src/core/redis/deployment.js';
import { runHealthChecks } from '../../../src/core/health/run.js';
import { analyzeMemory } from '../../../src/core/memory/analyze.js';
import { listLocks } from '../../../src/core/lock/list.js';
import { SingleInstanceLock } from '../../../src/core/lock/single-lock.js';
import { acquireWithWait } from '../../../src/core/lock/acquire.js';
import { readLive } from '../../../src/core/lint/live.js';
import { describeServer } from '../../../src/core/compat/server-identity.js';
import { inspectOrderbook } from '../../../src/core/orderbook/inspect.js';
import { EXPECTED_DEPTH, seedBook } from '../../unit/orderbook/book-fixture.js';
import { memorySeed, memoryTestOptions } from '../../unit/memory/seed-fixture.js';

/**
 * health, memory, lock and orderbook on every server of GRIDCTL_TEST_SERVERS (test/helpers/servers.ts),
 * one standalone server each: the commands whose replies changed between versions (XINFO fields,
 * listpack encodings, hash-field expiry on Redis 7.4+, Valkey's INFO).
 */
for (const server of testServers()) {
  describe(`${server.name}: health, memory, lock, orderbook`, () => {
    let dep: TestDeployment;
    let deployment: Deployment;
    let raw: Redis;
    beforeAll(async () => {
      dep = await startDeployment({ topology: 'standalone', server, acl: true, extraConfig: ['maxmemory 100mb', 'maxmemory-policy noeviction'] });
      deployment = await Deployment.open(dep.spec);
      raw = (await dep.client()) as Redis;
    });
    afterAll(async () => {
      await deployment?.close();
      raw?.disconnect();
      await dep?.stop();
    });

    it('health: no FAIL, and a stream group is read through XINFO GROUPS (lag, pending)', async () => {
      await raw.flushall();
      for (let i = 0; i < 20; i++) await raw.xadd('stream:trades', '*', 'seq', String(i));
      await raw.xgroup('CREATE', 'stream:trades', 'gateway', '0');
      await raw.xreadgroup('GROUP', 'gateway', 'w1', 'COUNT', 5, 'STREAMS', 'stream:trades', '>');
      const report = await runHealthChecks(deployment, {}, { samples: 3 });
      expect(report.summary.fail, JSON.stringify(report.nodes.flatMap((n) => n.checks).filter((c) => c.status === 'FAIL'))).toBe(0);
      const group = report.deployment.find((c) => c.check === 'stream stream:trades group gateway');
      expect(group?.value).toMatch(/^lag 15, pending 5\b/);
    });

    it('memory: every seeded key is counted, in its namespace, with its TTL', async () => {
      await raw.flushall();
      const seed = memorySeed();
      for (const k of seed) for (const c of k.commands) await raw.call(String(c[0]), ...c.slice(1));
      if (hasHashFieldTtl(server)) {
        await raw.hset('user:profile:hfe', 'token', 'x', 'name', 'y');
        await raw.call('HEXPIRE', 'user:profile:hfe', 3600, 'FIELDS', 1, 'token');
      }
      const report = await analyzeMemory(deployment, memoryTestOptions());
      const extra = hasHashFieldTtl(server) ? 1 : 0;
      expect(report.totals.keys).toBe(seed.length + extra);
      expect(report.totals.withTtl).toBe(seed.filter((k) => k.ttl).length);
      expect(report.topKeysByElements[0]).toMatchObject({ key: 'orderbook:buy', type: 'zset', elements: 300 });
      if (extra) expect(report.namespaces.find((n) => n.name === 'user:profile:{user_id}')?.keys).toBe(31);
    });

    it('health, memory and check --live name the server as it names itself (Valkey by its own version)', async () => {
      const named = describeServer({ engine: server.engine, version: server.version });
      const health = await runHealthChecks(deployment, {}, { samples: 1 });
      expect(health.nodes[0]!.checks.find((c) => c.check === 'reachable')?.value).toMatch(new RegExp(` \\(${named.replace(/\./g, '\\.')}\\)$`));
      const memory = await analyzeMemory(deployment, memoryTestOptions());
      expect(memory.nodes[0]).toMatchObject({ engine: server.engine, serverVersion: server.version });
      expect(await readLive(raw)).toMatchObject({ engine: server.engine, version: server.version });
    });

    it('lock: acquire, list, refuse a second holder, release', async () => {
      await raw.flushall();
      const backend = new SingleInstanceLock(deployment, 'lock:job');
      const a = await acquireWithWait(backend, { ttlMs: 10_000, waitMs: 0 });
      await expect(acquireWithWait(backend, { ttlMs: 10_000, waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED' });
      const list = await listLocks(deployment, { patterns: ['lock:*'], prefix: 'lock:', expiringBelowMs: 5000 });
      expect(list.locks).toMatchObject([{ resource: 'job', state: 'held', format: 'uuid', token: a.token }]);
      expect((await backend.release(a.token)).released).toBe(true);
      expect(await raw.exists('lock:job')).toBe(0);
    });

    it('orderbook: depth, best prices and a clean audit', async () => {
      await raw.flushall();
      await seedBook(raw, 'orderbook');
      const r = await inspectOrderbook(raw, undefined);
      expect(r.bids.levels).toEqual(EXPECTED_DEPTH.bids);
      expect(r.asks.levels).toEqual(EXPECTED_DEPTH.asks);
      expect(r.summary).toEqual(EXPECTED_DEPTH.summary);
    });
  });
}
