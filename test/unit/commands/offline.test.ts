import { afterEach, describe, expect, it } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import memory from '../../../src/commands/memory/memory.js';
import diff from '../../../src/commands/backup/diff.js';
import { configureColors } from '../../../src/ui/colors.js';
import type { MemoryReport, NamespaceStats } from '../../../src/core/memory/types.js';
import type { PartFacts } from '../../../src/core/offline/backup-keys.js';
import type { BackupDiffReport, NamespaceDiff } from '../../../src/core/offline/diff/diff-types.js';

describe('memory --from / backup diff options', () => {
  it.each([
    [['memory', '--from', 'dump.rdb'], { from: 'dump.rdb' }],
    [['memory', '--from', 'a.gbk', '--allocator', 'system', '--encrypt-key-file', 'k', '--format', 'prometheus'], { from: 'a.gbk', allocator: 'system', encryptKeyFile: 'k', format: 'prometheus' }],
    [['memory', '--from', 'a.rdb', '--top', '3', '--depth', '1', '--fail-on', 'never'], { from: 'a.rdb', top: 3, depth: 1, failOn: 'never' }],
    [['backup', 'diff', 'a.gbk', 'b.rdb'], { before: 'a.gbk', after: 'b.rdb' }],
    [['backup', 'diff', 'a', 'b', '--keys', 'user:session:{session_id}', '--limit', '50', '--format', 'json'], { before: 'a', after: 'b', keys: 'user:session:{session_id}', limit: 50, format: 'json' }],
    [['backup', 'diff', 'a', 'b', '--match', 'order:*', '--big-key-bytes', '1mb', '--big-key-elements', '10', '--allocator', 'bundled'], { before: 'a', after: 'b', match: 'order:*', bigKeyBytes: '1mb', bigKeyElements: 10, allocator: 'bundled' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['memory', '--from', 'a.rdb', '--allocator', 'tcmalloc'], /argument 'tcmalloc' is invalid/],
    [['memory', '--from', ''], /^--from: /],
    [['backup', 'diff', 'a.gbk'], /missing required argument 'after'/],
    [['backup', 'diff', 'a', 'b', '--limit', '0'], /^--limit: Too small/],
    [['backup', 'diff', 'a', 'b', '--format', 'prometheus'], /argument 'prometheus' is invalid/],
    [['backup', 'diff', 'a', 'b', '--depth', '11'], /^--depth: Too big/],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    await expect(parsedOptions(argv)).rejects.toThrow(message);
  });

  it.each([
    [{ from: 'a.rdb', replicas: true }, '--replicas works on a live deployment, not with --from'],
    [{ from: 'a.rdb', samples: 0 }, '--samples works on a live deployment, not with --from'],
    [{ allocator: 'system' as const }, '--allocator works with --from FILE only'],
    [{ encryptKeyFile: 'k' }, '--encrypt-key-file works with --from FILE only'],
  ])('memory %j is refused before any file or server is touched (exit 3)', async (flags, message) => {
    const t = testContext({ cwd: '/nonexistent' });
    await expect(memory.run(flags, t.ctx)).rejects.toMatchObject({ exitCode: 3, message });
  });

  it('FILE is resolved against the context cwd; a missing one is exit 3 naming it', async () => {
    const t = testContext({ cwd: '/nonexistent' });
    await expect(memory.run({ from: 'nope.rdb' }, t.ctx)).rejects.toMatchObject({ exitCode: 3, message: 'cannot open /nonexistent/nope.rdb: ENOENT' });
    await expect(diff.run({ before: 'a.rdb', after: 'b.rdb' }, t.ctx)).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('a.rdb') });
  });
});

const part: PartFacts = {
  file: '/b/dump.rdb', kind: 'rdb', bytes: 4096, engine: 'redis', serverVersion: '7.0.15', rdbVersion: 10, savedAt: '2026-12-07T06:00:00.000Z',
  checksum: 'verified', keys: 30, expiredKeys: 2, notes: ['1 function library passed over'],
};
const ns = (name: string, keys: number, bytes: number, withTtl: number): NamespaceStats => ({
  name, declared: true, kind: 'ephemeral', keys, bytes, share: 0.5, avgBytes: bytes / keys, maxBytes: bytes, types: { string: keys }, elements: keys,
  ttl: { withTtl, coverage: withTtl / keys, histogram: { none: keys - withTtl, '<1m': 0, '<10m': 0, '<1h': withTtl, '<1d': 0, '<7d': 0, '>=7d': 0 } }, biggestKeys: [],
  encodings: { embstr: keys - 1, raw: 1 },
});
const fileReport = (failed: boolean): MemoryReport => ({
  generatedAt: '2026-12-07T07:00:00.000Z', topology: 'standalone', source: 'backup', technique: 'file',
  options: { samples: 0, sampleRatio: 1, prefixDepth: 2, top: 10, bigKeyBytes: 10_000_000, bigKeyElements: 100_000, failOn: 'critical' },
  nodes: [], totals: { keys: 30, bytes: 3000, withTtl: 20, ttlCoverage: 20 / 30, elements: 30, scanned: 32 },
  namespaces: [ns('user:session:{session_id}', 30, 3000, 20)], topKeysByBytes: [], topKeysByElements: [],
  findings: failed ? [{ id: 'ephemeral-without-ttl', severity: 'critical', namespace: 'user:session:{session_id}', keys: 10, message: '10 of 30 ephemeral keys have no TTL', examples: ['user:session:s0'] }] : [],
  worstSeverity: failed ? 'critical' : null, failed, durationMs: 40, keysPerSecond: 800,
  backup: { file: '/b/dump.rdb', parts: [part], expiredKeys: 2, estimate: { allocator: 'bundled', reason: 'closest to the used_memory the server recorded' } },
});

describe('memory --from render and verdict', () => {
  afterEach(() => configureColors(false));
  it('piped: namespace rows as TSV on stdout; what the backup is, and the findings, on stderr', () => {
    const t = testContext();
    memory.render(fileReport(true), t.ctx.out, { from: 'dump.rdb' });
    expect(t.stdout().trim().split('\n')).toEqual([['user:session:{session_id}', 'ephemeral', 30, 3000, '0.5000', 100, 3000, '0.6667', 'string:30'].join('\t')]);
    expect(t.stderr()).toContain('30 keys, 2.93 KiB in /b/dump.rdb: RDB 10 from Redis 7.0.15, taken 2026-12-07T06:00:00.000Z; TTL coverage 66.7%; 2 keys already expired at backup time left out; sized for bundled jemalloc');
    expect(t.stderr()).toContain('no server contacted');
    expect(t.stderr()).toContain('CRITICAL 10 of 30 ephemeral keys have no TTL');
  });
  it('on a terminal: the encodings per namespace and each file with its checksum and notes', () => {
    const t = testContext({ tty: true });
    memory.render(fileReport(false), t.ctx.out, { from: 'dump.rdb' });
    expect(t.stdout()).toMatch(/NAMESPACE.*ENCODINGS/);
    expect(t.stdout()).toMatch(/user:session:\{session_id\}\s*│?\s*embstr:29 raw:1/);
    expect(t.stdout()).toMatch(/\/b\/dump\.rdb.*RDB 10.*redis 7\.0\.15.*verified/);
    expect(t.stdout()).toContain('note: 1 function library passed over');
  });
  it('--format prometheus: gauges labelled source="backup", stamped with the backup\'s time', () => {
    const t = testContext();
    memory.render(fileReport(false), t.ctx.out, { from: 'dump.rdb', format: 'prometheus' });
    expect(t.stdout()).toContain('gridctl_memory_namespace_keys_without_ttl{namespace="user:session:{session_id}",kind="ephemeral",source="backup"} 10');
    expect(t.stdout()).toContain(`gridctl_memory_data_timestamp_seconds{source="backup"} ${Date.parse(part.savedAt) / 1000}`);
  });
  it('exits 1 when findings reach --fail-on', () => {
    expect(memory.verdict!(fileReport(true), {})).toBe(1);
    expect(memory.verdict!(fileReport(false), {})).toBe(0);
  });
});

const nsDiff = (namespace: string, o: Partial<NamespaceDiff>): NamespaceDiff => ({
  namespace, declared: true, keysBefore: 10, keysAfter: 10, added: 0, removed: 0, grown: 0, shrunk: 0, unchanged: 10,
  bytesBefore: 1000, bytesAfter: 1000, bytesDelta: 0, bytesAdded: 0, bytesRemoved: 0, bytesGrown: 0, bytesShrunk: 0, ttlCoverageBefore: 1, ttlCoverageAfter: 1, ...o,
});
const side = (keys: number, bytes: number) => ({ file: `/b/${keys}.gbk`, parts: [{ ...part, kind: 'gbk' as const, file: `/b/${keys}.gbk` }], keys, bytes, expiredKeys: 0 });
const diffReport = (): BackupDiffReport => ({
  generatedAt: '2026-12-07T07:00:00.000Z', before: side(20, 2000), after: side(120, 12000),
  estimate: { allocator: 'bundled', reason: 'as recorded' },
  totals: { ...nsDiff('', { keysBefore: 20, keysAfter: 120, added: 100, bytesBefore: 2000, bytesAfter: 12000, bytesDelta: 10000, ttlCoverageAfter: 0.5 }) },
  namespaces: [nsDiff('user:session:{session_id}', { keysAfter: 110, added: 100, bytesAfter: 11000, bytesDelta: 10000, ttlCoverageAfter: 0.5 }), nsDiff('order:{order_id}', {})],
  newBigKeys: [{ key: 'orderbook:buy', namespace: 'orderbook:buy', type: 'zset', bytes: 20_000_000, elements: 200_000, bytesBefore: 9_000_000 }],
  keys: { namespace: 'user:session:{session_id}', changes: [{ key: 'user:session:n1', change: 'added', type: 'string', bytesBefore: null, bytesAfter: 100 }], truncated: true },
  note: 'keys are matched by a 64-bit fingerprint', durationMs: 30,
});

describe('backup diff render', () => {
  afterEach(() => configureColors(false));
  it('piped: only changed namespaces as TSV, then the --keys rows; the summary and new big keys on stderr', () => {
    const t = testContext();
    diff.render(diffReport(), t.ctx.out, { before: 'a', after: 'b' });
    expect(t.stdout().trim().split('\n')).toEqual([
      ['user:session:{session_id}', 10, 110, 100, 0, 0, 0, 1000, 11000, 10000, '1.0000', '0.5000'].join('\t'),
      ['key', 'added', 'user:session:n1', '', 100].join('\t'),
    ]);
    expect(t.stderr()).toContain('20 -> 120 keys (+100 -0, 0 grown, 0 shrunk)');
    expect(t.stderr()).toContain('new big key orderbook:buy (orderbook:buy, zset)');
  });
  it('on a terminal: what was compared, every namespace, new big keys, the changed keys, colour', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    diff.render(diffReport(), t.ctx.out, { before: 'a', after: 'b' });
    const text = t.stdout();
    expect(text).toMatch(/NAMESPACE.*KEYS BEFORE.*KEYS AFTER.*ADDED/);
    expect(text).toContain('order:{order_id}');
    expect(text).toContain('before: /b/20.gbk (archive, redis 7.0.15');
    expect(text).toContain('New big keys');
    expect(text).toContain('Changed keys of user:session:{session_id} (truncated: see --limit)');
    expect(text).toContain('\u001b[');
  });
});
