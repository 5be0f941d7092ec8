import { afterEach, describe, expect, it } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import { configureColors } from '../../../src/ui/colors.js';
import streamList from '../../../src/commands/stream/list.js';
import streamInspect from '../../../src/commands/stream/inspect.js';
import streamPending from '../../../src/commands/stream/pending.js';
import streamClaim from '../../../src/commands/stream/claim.js';
import streamDeadLetter from '../../../src/commands/stream/dead-letter.js';
import streamTrim from '../../../src/commands/stream/trim.js';
import pubsubChannels from '../../../src/commands/pubsub/channels.js';
import pubsubBuffers from '../../../src/commands/pubsub/buffers.js';
import pubsubWatch from '../../../src/commands/pubsub/watch.js';
import clients from '../../../src/commands/clients/clients.js';
import clientsKill from '../../../src/commands/clients/kill.js';
import { defaultDeadLetterStream } from '../../../src/core/stream/dead-letter.js';
import { lagUnknownReason } from '../../../src/core/stream/inspect.js';
import { parseOutputBufferLimit } from '../../../src/core/pubsub/buffers.js';
import { parseClientLine } from '../../../src/core/clients/client-list.js';
import { percentile } from '../../../src/core/clients/summary.js';
import { keySlot } from '../../../src/core/restore/crc16-slot.js';
import type { Coverage } from '../../../src/core/redis/coverage.js';
import type { GroupState, StreamInspectReport, StreamListReport } from '../../../src/core/stream/types.js';
import type { ChannelsReport, BuffersReport, WatchReport } from '../../../src/core/pubsub/types.js';
import type { ClientsReport, KillReport } from '../../../src/core/clients/types.js';

const coverage: Coverage = { topology: 'standalone', scope: 'deployment', nodes: ['127.0.0.1:6379'], complete: true, gaps: [], excluded: [] };

describe('stream / pubsub / clients options', () => {
  it.each([
    [['stream', 'list'], {}],
    [['stream', 'list', '--match', 'stream:*', '--format', 'prometheus'], { match: 'stream:*', format: 'prometheus' }],
    [['stream', 'inspect', 'stream:trades', '--strict'], { stream: 'stream:trades', strict: true }],
    [['stream', 'pending', 's', 'g', '--min-idle', '5m', '--min-deliveries', '3'], { stream: 's', group: 'g', minIdle: 300_000, minDeliveries: 3, limit: 100 }],
    [['stream', 'claim', 's', 'g', '--to', 'c2', '--min-idle', '10m', '--dry-run'], { stream: 's', group: 'g', to: 'c2', minIdle: 600_000, limit: 10_000, dryRun: true }],
    [['stream', 'dead-letter', 's', 'g', '--to', '{s}:dlq', '--limit', '5'], { stream: 's', group: 'g', to: '{s}:dlq', limit: 5 }],
    [['stream', 'trim', 's', '--maxlen', '1000'], { stream: 's', maxlen: 1000 }],
    [['stream', 'trim', 's', '--minid', '1733500000000-0', '--dry-run'], { stream: 's', minid: '1733500000000-0', dryRun: true }],
    [['pubsub', 'channels', '--pattern', 'trades:*'], { pattern: 'trades:*' }],
    [['pubsub', 'buffers', '--warn-percent', '25'], { warnPercent: 25 }],
    [['pubsub', 'watch', 'trades:*'], { pattern: 'trades:*', duration: 10_000 }],
    [['pubsub', 'watch', 'market:events', '--duration', '2s', '--show-payloads'], { pattern: 'market:events', duration: 2000, showPayloads: true }],
    [['clients'], { by: ['user', 'name', 'lib', 'host'] }],
    [['clients', '--by', 'user,host', '--pool-size', '20'], { by: ['user', 'host'], poolSize: 20 }],
    [['clients', 'kill', '--idle', '1h', '--client-user', 'app', '--addr', '10.0.0.5'], { idle: 3_600_000, clientUser: 'app', addr: '10.0.0.5' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['stream', 'inspect'], /missing required argument 'stream'/],
    [['stream', 'pending', 's', 'g', '--min-idle', 'soon'], /^--min-idle: expected a duration/],
    [['stream', 'pending', 's', 'g', '--limit', '0'], /^--limit: Too small/],
    [['stream', 'claim', 's', 'g', '--min-idle', '1m'], /required option '--to <consumer>'/],
    [['stream', 'dead-letter', 's', 'g', '--min-deliveries', '1'], /^--min-deliveries: Too small/],
    [['stream', 'trim', 's'], /^--maxlen: give exactly one of --maxlen N or --minid ID/],
    [['stream', 'trim', 's', '--maxlen', '5', '--minid', '1-0'], /^--maxlen: give exactly one/],
    [['stream', 'trim', 's', '--minid', 'yesterday'], /^--minid: expected a stream id/],
    [['stream', 'list', '--format', 'xml'], /argument 'xml' is invalid/],
    [['pubsub', 'watch', 'x', '--duration', '2h'], /^--duration: must be more than 0 and at most 1h/],
    [['pubsub', 'buffers', '--warn-percent', '0'], /^--warn-percent: Too small/],
    [['clients', '--by', 'user,colour'], /^--by: expected a comma-separated list of user, name, lib, host/],
    [['clients', 'kill'], /required option '--idle <duration>'/],
    [['clients', 'kill', '--idle', '500ms'], /^--idle: must be at least 1s/],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    await expect(parsedOptions(argv)).rejects.toThrow(message);
  });
});

describe('stream helpers', () => {
  it('the default dead-letter stream shares the Cluster slot of its stream', () => {
    for (const s of ['stream:trades', 'stream:{orders}:eu', 'x']) expect(keySlot(defaultDeadLetterStream(s))).toBe(keySlot(s));
    expect(defaultDeadLetterStream('stream:trades')).toBe('{stream:trades}:dead-letter');
  });
  it('an unknown lag says why', () => {
    expect(lagUnknownReason({ lag: null, 'entries-read': 3 }, '5-0', '7-0')).toMatch(/XDEL.*7-0.*5-0/);
    expect(lagUnknownReason({ lag: null, 'entries-read': null }, '5-0', '0-0')).toMatch(/arbitrary id/);
    expect(lagUnknownReason({}, '5-0', null)).toMatch(/before 7\.0/);
  });
  it('parses CLIENT LIST lines, the pubsub buffer limit and percentiles', () => {
    const c = parseClientLine('id=7 addr=10.0.0.5:51234 laddr=10.0.0.1:6380 fd=8 name= age=9 idle=4 flags=N sub=1 psub=0 omem=2048 tot-mem=4096 user=app lib-name=redis-rs lib-ver=0.25');
    expect([c.id, c.name, c.idle, c.omem, c.totMem, c.user, c.libName]).toEqual(['7', '', 4, 2048, 4096, 'app', 'redis-rs']);
    expect(parseOutputBufferLimit('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60')).toEqual({ hardBytes: 33554432, softBytes: 8388608, softSeconds: 60 });
    expect([percentile([1, 2, 3, 4], 0.5), percentile([1, 2, 3, 100], 0.99), percentile([], 0.5)]).toEqual([2, 100, 0]);
  });
});

const group = (over: Partial<GroupState> = {}): GroupState => ({
  name: 'settlement', consumers: 2, pending: 10, lag: null, lagUnknownReason: 'entries were deleted (XDEL)', entriesRead: 15, lastDeliveredId: '1-0', lastDeliveredAgeMs: 1000,
  oldestPending: { id: '1-0', consumer: 'c2', idleMs: 5000, ageMs: 9000, deliveries: 4 }, maxPendingIdleMs: 5000, maxDeliveries: 4, poisonEntries: 5, pendingScanned: 10,
  consumerStates: [{ name: 'c2', pending: 5, idleMs: 700_000, inactiveMs: null, dead: true }], deadConsumers: ['c2'],
  thresholds: { maxLag: 1000, maxPending: 1000, maxPendingAgeMs: 300_000, deadConsumerAfterMs: 600_000, poisonDeliveries: 3 }, ...over,
});

const inspectReport = (findings: StreamInspectReport['findings']): StreamInspectReport => ({
  stream: 'stream:settlements', node: '127.0.0.1:6379', checkedAt: '2026-12-07T06:00:00.000Z', length: 20, firstId: '1-0', lastId: '20-0', firstAgeMs: 9000, lastAgeMs: 10, entriesAdded: 20, maxDeletedId: '0-0',
  groups: [group()], findings, coverage,
});

describe('stream render and verdict', () => {
  afterEach(() => configureColors(false));
  const poison = { id: 'poison' as const, severity: 'critical' as const, stream: 'stream:settlements', group: 'settlement', message: '5 poison entries' };
  const unknown = { id: 'lag-unknown' as const, severity: 'warning' as const, stream: 'stream:settlements', group: 'settlement', message: 'lag unknown: XDEL' };

  it('inspect piped: a TSV row per group with lag "unknown", never 0; findings on stderr', () => {
    const t = testContext();
    streamInspect.render(inspectReport([poison]), t.ctx.out, { stream: 's' });
    const row = t.stdout().trim().split('\t');
    expect(row.slice(0, 4)).toEqual(['settlement', '2', '10', 'unknown']);
    expect(t.stderr()).toContain('CRITICAL stream:settlements settlement: 5 poison entries');
  });
  it('inspect on a terminal: group and consumer tables, the dead consumer and the lag reason', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    streamInspect.render(inspectReport([]), t.ctx.out, { stream: 's' });
    expect(t.stdout()).toMatch(/GROUP.*CONSUMERS.*PENDING.*LAG/);
    expect(t.stdout()).toContain('dead');
    expect(t.stdout()).toContain('lag of settlement unknown: entries were deleted (XDEL)');
  });
  it('inspect prometheus: lag left out when unknown, and flagged', () => {
    const t = testContext();
    streamInspect.render(inspectReport([]), t.ctx.out, { stream: 's', format: 'prometheus' });
    expect(t.stdout()).not.toContain('gridctl_stream_group_lag{');
    expect(t.stdout()).toContain('gridctl_stream_group_lag_unknown{stream="stream:settlements",group="settlement"} 1');
    expect(t.stdout()).toContain('gridctl_stream_group_poison_entries{stream="stream:settlements",group="settlement"} 5');
  });
  it('inspect verdict: critical findings exit 1, a warning only with --strict', () => {
    expect(streamInspect.verdict!(inspectReport([poison]), { stream: 's' })).toBe(1);
    expect(streamInspect.verdict!(inspectReport([unknown]), { stream: 's' })).toBe(0);
    expect(streamInspect.verdict!(inspectReport([unknown]), { stream: 's', strict: true })).toBe(1);
    expect(streamInspect.verdict!(inspectReport([]), { stream: 's', strict: true })).toBe(0);
  });
  it('list: one row per stream, the totals on stderr when piped', () => {
    const r: StreamListReport = { checkedAt: '', match: null, totals: { streams: 1, entries: 20, memoryBytes: 4096 }, coverage,
      streams: [{ stream: 'stream:trades', node: 'n1', length: 20, firstId: '1-0', lastId: '2-0', firstAgeMs: 5, lastAgeMs: 1, groups: 1, maxLen: null, memoryBytes: 4096 }] };
    const t = testContext();
    streamList.render(r, t.ctx.out, {});
    expect(t.stdout().trim().split('\t')).toEqual(['stream:trades', 'n1', '20', '1-0', '2-0', '5', '1', '1', '-', '4096']);
    expect(t.stderr()).toContain('1 stream(s), 20 entries');
  });
  it('pending, claim, dead-letter and trim say what changed, or that nothing did', () => {
    const entry = { id: '1-0', consumer: 'c2', idleMs: 5000, ageMs: 9000, deliveries: 4 };
    const t = testContext({ tty: true });
    streamPending.render({ stream: 's', group: 'g', node: 'n', checkedAt: '', filter: {}, matched: 3, entries: [entry], truncated: true, coverage }, t.ctx.out, { stream: 's', group: 'g', limit: 1 });
    streamClaim.render({ stream: 's', group: 'g', consumer: 'c3', node: 'n', minIdleMs: 60_000, dryRun: true, candidates: [entry], claimed: [], deletedFromPel: [], coverage }, t.ctx.out, {} as never);
    streamDeadLetter.render({ stream: 's', group: 'g', to: '{s}:dead-letter', node: 'n', dryRun: false, minDeliveries: 3, candidates: [entry], moved: [{ id: '1-0', deadLetterId: '9-0', deliveries: 4, missing: false }], skipped: [], coverage }, t.ctx.out, {} as never);
    streamTrim.render({ stream: 's', node: 'n', strategy: { maxLen: 5 }, dryRun: false, lengthBefore: 20, toRemove: 15, removed: 15, groups: [{ group: 'g', undeliveredRemoved: 2, pendingRemoved: null }], coverage }, t.ctx.out, {} as never);
    const text = t.stdout();
    expect(text).toContain('3 pending entries of g on s match (first 1 shown; --limit)');
    expect(text).toContain('dry run: would claim 1 entry of g on s for c3 (idle >= 1m0s); nothing changed');
    expect(text).toContain('moved 1 entry of g on s to {s}:dead-letter and acknowledged them');
    expect(text).toContain('XTRIM s MAXLEN = 5 removed 15 of 20 entries');
  });
});

describe('pubsub and clients render and verdict', () => {
  const channels = (status: 'PASS' | 'FAIL'): ChannelsReport => ({
    checkedAt: '', pattern: null, patternSubscriptions: 1, coverage,
    nodes: [{ address: 'n1', role: 'master', patterns: 1 }],
    channels: [{ channel: 'market:events', subscribers: 2, group: 'market:events', sharded: false, nodes: ['n1'] }],
    groups: [{ group: 'market:events', channels: 1, subscribers: 2 }],
    critical: [{ channel: 'system:alerts', minSubscribers: 1, subscribers: status === 'FAIL' ? 0 : 1, status }],
  });
  it('channels: a critical channel at 0 subscribers is said on stderr and exits 1', () => {
    const t = testContext();
    pubsubChannels.render(channels('FAIL'), t.ctx.out, {});
    expect(t.stdout().trim()).toBe('market:events\tmarket:events\t2\tglobal\tn1');
    expect(t.stderr()).toContain('FAIL critical channel system:alerts: 0 subscriber(s)');
    expect(pubsubChannels.verdict!(channels('FAIL'), {})).toBe(1);
    expect(pubsubChannels.verdict!(channels('PASS'), {})).toBe(0);
  });
  it('buffers: the flagged subscriber exits 1', () => {
    const r: BuffersReport = { checkedAt: '', warnPercent: 50, limits: [{ node: 'n1', limit: { hardBytes: 32 << 20, softBytes: 8 << 20, softSeconds: 60 } }], flagged: 1, coverage,
      subscribers: [{ node: 'n1', id: '9', addr: '127.0.0.1:5000', name: '', user: 'default', channels: 1, patterns: 0, shardChannels: 0, omem: 6 << 20, totMem: 7 << 20, usedPercent: 75, status: 'WARN' }] };
    const t = testContext();
    pubsubBuffers.render(r, t.ctx.out, {});
    expect(t.stdout().trim().split('\t').slice(0, 3)).toEqual(['WARN', 'n1', '9']);
    expect(pubsubBuffers.verdict!(r, {})).toBe(1);
    expect(pubsubBuffers.verdict!({ ...r, flagged: 0 }, {})).toBe(0);
  });
  it('watch: payloads printed only when they were kept', () => {
    const r: WatchReport = { pattern: 'trades:*', node: 'n1', durationMs: 1000, messages: 2, payloadsShown: false, coverage, channels: [{ channel: 'trades:u1', messages: 2, perSecond: 2, bytes: 10 }] };
    const t = testContext();
    pubsubWatch.render(r, t.ctx.out, {} as never);
    expect(t.stdout().trim()).toBe('trades:u1\t2\t2\t10');
    const shown = testContext();
    pubsubWatch.render({ ...r, payloadsShown: true, channels: [{ ...r.channels[0]!, payloads: ['{"a":1}'] }] }, shown.ctx.out, {} as never);
    expect(shown.stdout()).toContain('trades:u1\t{"a":1}');
  });
  it('clients: rows per group, findings exit 1; kill dry run says nothing changed', () => {
    const r: ClientsReport = { checkedAt: '', by: ['name'], poolSize: 3, clientsPercent: 80, coverage,
      nodes: [{ address: 'n1', role: 'master', connected: 4, maxclients: 10000, tlsPort: null, replicationLinks: 0 }],
      groups: [{ key: { name: 'gateway' }, count: 4, idle: { p50: 1, p99: 9, max: 9 }, inFlight: 0, memoryBytes: 100, tlsShare: null, activeShare: 0.5, nodes: ['n1'] }],
      totals: { clients: 4, inFlight: 0, memoryBytes: 100, tlsShare: null }, findings: [{ id: 'pool-size', message: 'gateway from h to n1: 4 connections > pool size 3' }] };
    const t = testContext();
    clients.render(r, t.ctx.out, {} as never);
    expect(t.stdout().trim()).toBe('gateway\t4\t1\t9\t9\t0\t100\t-\t0.5000\tn1');
    expect(t.stderr()).toContain('WARNING gateway from h to n1');
    expect(clients.verdict!(r, {} as never)).toBe(1);
    const k: KillReport = { dryRun: true, idleSeconds: 3600, user: null, addr: null, targets: [{ node: 'n1', id: '7', addr: 'a:1', user: 'app', name: '', idleSeconds: 4000 }], killed: [], skipped: [], protected: 2, coverage };
    const tk = testContext();
    clientsKill.render(k, tk.ctx.out, {} as never);
    expect(tk.stderr()).toContain('dry run: would close 1 connection(s) (idle >= 3600s); 2 gridctl or replication connection(s) left alone; nothing changed');
  });
});
