import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { testContext } from '../helpers/context.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { connectNode } from '../../src/core/redis/connect.js';
import { masterForKey } from '../../src/core/stream/locate.js';
import { inspectStream } from '../../src/core/stream/inspect.js';
import { listStreams } from '../../src/core/stream/list.js';
import { applyDeadLetter } from '../../src/core/stream/dead-letter.js';
import { runHealthChecks } from '../../src/core/health/run.js';
import list from '../../src/commands/stream/list.js';
import pending from '../../src/commands/stream/pending.js';
import claim from '../../src/commands/stream/claim.js';
import deadLetter from '../../src/commands/stream/dead-letter.js';
import trim from '../../src/commands/stream/trim.js';
import type { GridctlConfig } from '../../src/core/config/schema.js';

const config: GridctlConfig = { streams: { 'stream:settlements': { deadConsumerAfter: '300ms', poisonDeliveries: 3, maxPendingAge: '1h' }, 'stream:trades': {} } };

/**
 * stream:settlements: 20 entries; consumer c1 read 10 and acked 5, c2 read 5 and died without
 * acking (its entries get delivery count 4: poison); stream:trades: matching read 3, then an entry
 * after them was XDELed (lag null).
 */
async function seed(dep: Deployment): Promise<void> {
  const s = (await masterForKey(dep, 'stream:settlements')).client;
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await s.xadd('stream:settlements', '*', 'settlement', `s-${i}`, 'amount', String(i)))!);
  await s.xgroup('CREATE', 'stream:settlements', 'settlement', '0');
  await s.xreadgroup('GROUP', 'settlement', 'c1', 'COUNT', 10, 'STREAMS', 'stream:settlements', '>');
  await s.xack('stream:settlements', 'settlement', ...ids.slice(0, 5));
  // c2 reads on a connection of its own and is killed mid-read: its entries stay pending.
  const worker = await connectNode(dep.spec, (await masterForKey(dep, 'stream:settlements')).client.options as { host: string; port: number });
  await worker.xreadgroup('GROUP', 'settlement', 'c2', 'COUNT', 5, 'STREAMS', 'stream:settlements', '>');
  await s.call('CLIENT', 'KILL', 'ID', String(await worker.call('CLIENT', 'ID')));
  worker.disconnect();
  // c2 crashed mid-read: its entries were redelivered to it 3 more times and never acknowledged.
  await s.call('XCLAIM', 'stream:settlements', 'settlement', 'c2', 0, ...ids.slice(10, 15), 'RETRYCOUNT', 4);
  const t = (await masterForKey(dep, 'stream:trades')).client;
  const tids: string[] = [];
  for (let i = 0; i < 10; i++) tids.push((await t.xadd('stream:trades', '*', 'trade', `t-${i}`))!);
  await t.xgroup('CREATE', 'stream:trades', 'matching', '0');
  await t.xreadgroup('GROUP', 'matching', 'm1', 'COUNT', 3, 'STREAMS', 'stream:trades', '>');
  await t.xdel('stream:trades', tids[6]!);
}

for (const topology of ['standalone', 'cluster'] as const) {
  describe(`gridctl stream on ${topology}`, () => {
    let d: TestDeployment;
    let dep: Deployment;
    const ctx = (yes = true) => testContext({ global: { runDir: path.join(d.dir, 'run'), ...(yes ? { yes: true } : {}) } });
    beforeAll(async () => {
      d = await startDeployment({ topology });
      dep = await Deployment.open(d.spec);
      await seed(dep);
      await new Promise((r) => setTimeout(r, 400));
    }, 180_000);
    afterAll(async () => {
      await dep?.close();
      await d?.stop();
    });

    it('list finds every stream on every master', async () => {
      const report = await listStreams(dep, config);
      expect(report.streams.map((s) => [s.stream, s.length, s.groups])).toEqual([
        ['stream:settlements', 20, 1],
        ['stream:trades', 9, 1],
      ]);
      expect(report.coverage.complete).toBe(true);
      if (topology === 'cluster') expect(report.coverage.nodes).toHaveLength(3);
      expect(report.streams.every((s) => (s.memoryBytes ?? 0) > 0)).toBe(true);
    });

    it('inspect: pending, poison, the dead consumer, and lag', async () => {
      const r = await inspectStream(dep, 'stream:settlements', config);
      const g = r.groups[0]!;
      expect([g.pending, g.lag, g.entriesRead, g.maxDeliveries, g.poisonEntries]).toEqual([10, 5, 15, 4, 5]);
      expect(g.deadConsumers).toEqual(['c1', 'c2']);
      expect(g.consumerStates.find((c) => c.name === 'c2')?.pending).toBe(5);
      expect(r.findings.map((f) => f.id).sort()).toEqual(['dead-consumer', 'poison']);
    });

    it('inspect: a null lag after XDEL is unknown with the reason, never 0', async () => {
      const r = await inspectStream(dep, 'stream:trades', config);
      const g = r.groups[0]!;
      expect(g.lag).toBeNull();
      expect(g.lagUnknownReason).toMatch(/XDEL/);
      expect(r.findings.find((f) => f.id === 'lag-unknown')?.severity).toBe('warning');
      const health = await runHealthChecks(dep, config, { samples: 1 });
      const check = health.deployment.find((c) => c.check === 'stream stream:trades group matching')!;
      expect(check.value).toContain('lag unknown');
      expect(check.metrics).not.toHaveProperty('stream_lag');
    });

    it('pending filters by consumer and delivery count', async () => {
      const t = ctx();
      const r = await pending.run({ stream: 'stream:settlements', group: 'settlement', minDeliveries: 3, limit: 2 }, t.ctx);
      expect([r.matched, r.entries.length, r.truncated]).toEqual([5, 2, true]);
      const byC1 = await pending.run({ stream: 'stream:settlements', group: 'settlement', consumer: 'c1', limit: 100 }, t.ctx);
      expect(byC1.matched).toBe(5);
    });

    it('dead-letter run twice moves each poison entry exactly once, and acknowledges it', async () => {
      const opts = { stream: 'stream:settlements', group: 'settlement', minDeliveries: 3, limit: 10_000 };
      const dry = await deadLetter.run({ ...opts, dryRun: true }, ctx().ctx);
      expect([dry.candidates.length, dry.moved.length]).toEqual([5, 0]);
      // Two runs racing on the same plan: the script moves each entry once, the other run skips it.
      const req = { ...opts, to: dry.to };
      const [a, b] = await Promise.all([applyDeadLetter(dep, req, dry.candidates), applyDeadLetter(dep, req, dry.candidates)]);
      expect([a.moved.length + b.moved.length, a.skipped.length + b.skipped.length]).toEqual([5, 5]);
      const first = { to: dry.to };
      const second = await deadLetter.run(opts, ctx().ctx);
      expect([second.moved.length, second.candidates.length]).toEqual([0, 0]);
      const { client } = await masterForKey(dep, 'stream:settlements');
      const dlq = (await client.xrange(first.to, '-', '+')) as Array<[string, string[]]>;
      expect(dlq).toHaveLength(5);
      expect(new Set(dlq.map(([, f]) => f[f.indexOf('dead-letter:id') + 1])).size).toBe(5);
      expect(dlq[0]![1].slice(0, 4)).toEqual(['settlement', 's-10', 'amount', '10']);
      const pel = (await client.call('XPENDING', 'stream:settlements', 'settlement')) as [number];
      expect(pel[0]).toBe(5);
    });

    it('claim asks first: without --yes and no terminal it refuses; with --yes it moves c1\'s entries to c3', async () => {
      const req = { stream: 'stream:settlements', group: 'settlement', to: 'c3', minIdle: 0, limit: 10_000 };
      await expect(claim.run(req, ctx(false).ctx)).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
      const declined = testContext({ global: { runDir: path.join(d.dir, 'run') }, answers: [false] });
      await expect(claim.run(req, declined.ctx)).rejects.toMatchObject({ code: 'CANCELLED' });
      const r = await claim.run(req, ctx().ctx);
      expect(r.claimed).toHaveLength(5);
      const { client } = await masterForKey(dep, 'stream:settlements');
      const summary = (await client.call('XPENDING', 'stream:settlements', 'settlement')) as [number, string, string, Array<[string, string]>];
      expect(summary[3]).toEqual([['c3', '5']]);
    });

    it('trim --minid with a bare time counts what XTRIM removes (ids below TIME-0)', async () => {
      const { client } = await masterForKey(dep, 'stream:minid');
      for (const id of ['1000-0', '1000-1', '2000-0', '3000-0']) await client.xadd('stream:minid', id, 'n', id);
      const plan = await trim.run({ stream: 'stream:minid', minid: '2000', dryRun: true }, ctx().ctx);
      const done = await trim.run({ stream: 'stream:minid', minid: '2000' }, ctx().ctx);
      expect([plan.toRemove, done.removed]).toEqual([2, 2]);
    });

    it('trim shows the count first and removes exactly it', async () => {
      const dry = await trim.run({ stream: 'stream:settlements', maxlen: 12, dryRun: true }, ctx().ctx);
      expect([dry.toRemove, dry.removed, dry.groups[0]!.undeliveredRemoved]).toEqual([8, null, 0]);
      const r = await trim.run({ stream: 'stream:settlements', maxlen: 12 }, ctx().ctx);
      expect(r.removed).toBe(8);
      const { client } = await masterForKey(dep, 'stream:settlements');
      expect(await client.xlen('stream:settlements')).toBe(12);
      const listed = await list.run({}, ctx().ctx);
      expect(listed.streams.find((s) => s.stream === 'stream:settlements')?.length).toBe(12);
    });
  });
}

export type { Redis };
