import { describe, expect, it, afterEach } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import memory from '../../../src/commands/memory/memory.js';
import backup from '../../../src/commands/backup/backup.js';
import verify from '../../../src/commands/backup/verify.js';
import restore from '../../../src/commands/restore/restore.js';
import { configureColors } from '../../../src/ui/colors.js';
import type { MemoryReport, NamespaceStats } from '../../../src/core/memory/types.js';
import type { BackupReport } from '../../../src/core/backup/backup.js';
import type { BackupPlan } from '../../../src/core/backup/backup-plan.js';
import type { RestoreReport } from '../../../src/core/restore/restore.js';
import { clusterCoverage, singleNodeCoverage } from '../../../src/core/redis/coverage.js';

describe('memory / backup / restore options', () => {
  it.each([
    [['memory'], {}],
    [['memory', '--samples', '0', '--sample', '0.5', '--fail-on', 'warning', '--technique', 'pipeline'], { samples: 0, sample: 0.5, failOn: 'warning', technique: 'pipeline' }],
    [['backup', '--mode', 'rdb', '--keep', '3', '--dry-run'], { mode: 'rdb', keep: 3, dryRun: true }],
    [['backup', '--dir', 'b', '--from-replica', '--max-rate', '1000'], { dir: 'b', fromReplica: true, maxRate: 1000 }],
    [['backup', 'verify', 'a.gbk'], { file: 'a.gbk', checkRdb: true }],
    [['backup', 'verify', 'a.gbk', '--encrypt-key-file', 'k'], { file: 'a.gbk', encryptKeyFile: 'k', checkRdb: true }],
    [['restore', 'a.gbk'], { file: 'a.gbk', onConflict: 'fail', checkRdb: true }],
    [['restore', 'a.rdb', '--skip-other-dbs', '--no-check-rdb'], { file: 'a.rdb', onConflict: 'fail', skipOtherDbs: true, checkRdb: false }],
    [['restore', 'a.gbk', '--on-conflict', 'replace', '--sample', '0', '--match', 'order:*'], { file: 'a.gbk', onConflict: 'replace', sample: 0, match: 'order:*', checkRdb: true }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['memory', '--sample', '0'], /^--sample: must be > 0/],
    [['memory', '--top', '0'], /^--top: Too small/],
    [['memory', '--fail-on', 'loud'], /argument 'loud' is invalid/],
    [['backup', '--keep', '0'], /^--keep: --keep must be at least 1/],
    [['backup', '--max-rate', '-5'], /^--max-rate: --max-rate must be a positive number/],
    [['backup', '--mode', 'aof'], /argument 'aof' is invalid/],
    [['backup', 'verify'], /missing required argument 'file'/],
    [['restore'], /missing required argument 'file'/],
    [['restore', 'a.gbk', '--sample', '-1'], /^--sample: Too small/],
    [['restore', 'a.gbk', '--batch-ms', '0'], /^--batch-ms: /],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    await expect(parsedOptions(argv)).rejects.toThrow(message);
  });
});

const ns = (name: string, keys: number, bytes: number): NamespaceStats => ({
  name, declared: true, kind: 'cache', keys, bytes, share: 0.5, avgBytes: bytes / keys, maxBytes: bytes, types: { string: keys }, elements: keys,
  ttl: { withTtl: keys, coverage: 1, histogram: { none: 0, '<1m': 0, '<10m': 0, '<1h': keys, '<1d': 0, '<7d': 0, '>=7d': 0 } }, biggestKeys: [],
});

const memoryReport = (failed: boolean): MemoryReport => ({
  generatedAt: '2026-12-07T06:00:00.000Z', topology: 'standalone', source: 'masters', technique: 'script', coverage: singleNodeCoverage('standalone', '127.0.0.1:6379'),
  options: { samples: 5, sampleRatio: 1, prefixDepth: 2, top: 10, bigKeyBytes: 10_000_000, bigKeyElements: 100_000, failOn: 'critical' },
  nodes: [], totals: { keys: 30, bytes: 3000, withTtl: 30, ttlCoverage: 1, elements: 30, scanned: 30 },
  namespaces: [ns('user:profile:{user_id}', 10, 1000), ns('order:{order_id}', 20, 2000)], topKeysByBytes: [], topKeysByElements: [],
  findings: failed ? [{ id: 'lock-without-ttl', severity: 'critical', keys: 1, message: '1 lock key without TTL', examples: ['lock:x'] }] : [],
  worstSeverity: failed ? 'critical' : null, failed, durationMs: 10, keysPerSecond: 3000,
});

describe('memory render and verdict', () => {
  afterEach(() => configureColors(false));
  it('piped: namespace rows as TSV on stdout, summary and findings on stderr', () => {
    const t = testContext();
    memory.render(memoryReport(true), t.ctx.out, {});
    const rows = t.stdout().trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.split('\t')[0]).toBe('user:profile:{user_id}');
    expect(t.stderr()).toContain('CRITICAL 1 lock key without TTL (e.g. lock:x)');
  });
  it('on a terminal: the header and colour', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    memory.render(memoryReport(false), t.ctx.out, {});
    expect(t.stdout()).toMatch(/NAMESPACE.*KIND.*KEYS/);
    expect(t.stdout()).toContain('\u001b[');
  });
  it('exits 1 when the report failed', () => {
    expect(memory.verdict!(memoryReport(true), {})).toBe(1);
    expect(memory.verdict!(memoryReport(false), {})).toBe(0);
  });
});

const backupReport = (ok: boolean): BackupReport => ({
  ok, mode: 'logical', file: '/b/x.gbk', manifest: '/b/x.manifest.json', topology: 'standalone', coverage: singleNodeCoverage('standalone', '127.0.0.1:7001'), records: 5, bytes: 100, rawBytes: 300, sha256: 'ab'.repeat(32),
  encrypted: false, durationMs: 1000, keysPerSecond: 5, countsByType: { string: 5 }, countsByNamespace: {}, masters: [{ address: '127.0.0.1:7001', role: 'master', from: '127.0.0.1:7001', records: 5, engine: 'redis', serverVersion: '7.0.15' }],
  verified: ok, deleted: [],
});
const plan: BackupPlan = { dir: '/b', mode: 'rdb', keys: 5, sources: [{ address: '127.0.0.1:7002', role: 'replica', from: '127.0.0.1:7001', engine: 'valkey', serverVersion: '8.0.1', keys: 5 }] } as BackupPlan;

describe('backup render and verdict', () => {
  it('silent when piped (cron), a table on a terminal', () => {
    const piped = testContext();
    backup.render(backupReport(true), piped.ctx.out, {});
    expect(piped.stdout()).toBe('');
    const tty = testContext({ tty: true });
    backup.render(backupReport(true), tty.ctx.out, {});
    expect(tty.stdout()).toMatch(/FIELD.*VALUE/);
    expect(tty.stdout()).toContain('/b/x.gbk');
  });
  it('--verbose prints the summary rows even when piped', () => {
    const t = testContext({ global: { verbose: true } });
    backup.render(backupReport(true), t.ctx.out, {});
    expect(t.stdout()).toContain('file\t/b/x.gbk');
  });
  it('a dry run shows the plan: sources on stdout, what would happen on stderr, exit 0', () => {
    const t = testContext();
    backup.render(plan, t.ctx.out, { dryRun: true });
    expect(t.stdout()).toBe('127.0.0.1:7001\t127.0.0.1:7002\treplica\tValkey 8.0.1\t5\n');
    expect(t.stderr()).toContain('dry run: an RDB backup of 5 keys would be written to /b; nothing was written');
    expect(backup.verdict!(plan, { dryRun: true })).toBe(0);
  });
  it('a failed backup exits 1', () => {
    expect(backup.verdict!(backupReport(false), {})).toBe(1);
    expect(backup.verdict!(backupReport(true), {})).toBe(0);
  });
  it('verify resolves FILE against the context cwd; a missing one is exit 3 naming it', async () => {
    const t = testContext({ cwd: '/nonexistent' });
    await expect(verify.run({ file: 'nope.gbk' }, t.ctx)).rejects.toMatchObject({ exitCode: 3, message: 'cannot open backup /nonexistent/nope.gbk: ENOENT' });
  });
});

const restoreReport = (ok: boolean): RestoreReport => ({
  ok, dryRun: false, file: '/b/x.gbk', coverage: clusterCoverage([], [], []), source: { topology: 'standalone', serverVersion: '7.0.15', startedAt: 't0', endedAt: 't1', records: 5 },
  target: { topology: 'cluster', engine: 'redis', serverVersion: '7.0.15', masters: 3, keysBefore: 0, keysAfter: 5 }, onConflict: 'fail', selected: 5, restored: ok ? 5 : 4,
  skippedExisting: 0, skippedExpired: 0, failed: ok ? 0 : 1, typeMismatches: 0, skippedOtherDbs: 0, conflicts: { count: 0, keys: [] } as never, countsByType: { string: { archive: 5, restored: ok ? 5 : 4, skipped: 0, expired: 0, failed: ok ? 0 : 1 } },
  sample: { checked: 5, matched: 5, mismatched: [], byteCompared: true } as never, errors: ok ? [] : [{ key: 'k1', message: 'BUSYKEY' }], durationMs: 500, keysPerSecond: 10,
});

describe('restore render and verdict', () => {
  it('piped: field rows then type rows as TSV; failures on stderr', () => {
    const t = testContext();
    restore.render(restoreReport(false), t.ctx.out, { file: 'x', onConflict: 'fail' });
    expect(t.stdout()).toContain('restored\t4');
    expect(t.stdout()).toContain('string\t5\t4\t0\t0\t1');
    expect(t.stderr()).toBe('k1: BUSYKEY\n');
  });
  it('exit 1 when a key failed, 0 when all came back', () => {
    expect(restore.verdict!(restoreReport(false), { file: 'x', onConflict: 'fail' })).toBe(1);
    expect(restore.verdict!(restoreReport(true), { file: 'x', onConflict: 'fail' })).toBe(0);
  });
});
