import { describe, expect, it, afterEach } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import drillRestore, { type DrillRestoreFlags } from '../../../src/commands/drill/restore.js';
import drillFailover, { type DrillFailoverFlags } from '../../../src/commands/drill/failover.js';
import { configureColors } from '../../../src/ui/colors.js';
import type { RestoreDrillReport } from '../../../src/core/drill/restore-drill.js';
import type { FailoverDrillReport } from '../../../src/core/drill/failover-drill.js';
import { productionReason, refuseProduction } from '../../../src/core/drill/production-guard.js';
import type { ConnectionSpec } from '../../../src/core/redis/spec.js';

const RESTORE_DEFAULTS = { sample: 100, source: true };
const FAILOVER_DEFAULTS = { kill: false, failback: false, warmup: '1s', settle: '1s', failoverTimeout: '30s', rate: 200, waitTimeout: 1000, dryRun: false, iKnowThisIsProduction: false };

describe('drill restore options', () => {
  it.each([
    [['drill', 'restore'], RESTORE_DEFAULTS],
    [['drill', 'restore', 'b.gbk', '--sample', '5', '--no-source'], { ...RESTORE_DEFAULTS, file: 'b.gbk', sample: 5, source: false }],
    [['drill', 'restore', '--dir', 'backups', '--format', 'prometheus', '--textfile', 'd.prom'], { ...RESTORE_DEFAULTS, dir: 'backups', format: 'prometheus', textfile: 'd.prom' }],
    [['drill', 'restore', '--redis-server', '/opt/redis/bin/redis-server', '--encrypt-key-file', 'k'], { ...RESTORE_DEFAULTS, redisServer: '/opt/redis/bin/redis-server', encryptKeyFile: 'k' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['drill', 'restore', '--sample', '0'], /^--sample: Too small/],
    [['drill', 'restore', '--sample', 'lots'], /^--sample: /],
    [['drill', 'restore', '--format', 'xml'], /argument 'xml' is invalid/],
    [['drill', 'restore', '--kill'], /unknown option '--kill'/],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    const err = await parsedOptions(argv).then(() => undefined, (e: { message: string }) => e);
    expect(err?.message).toMatch(message);
  });
});

describe('drill failover options', () => {
  it.each([
    [['drill', 'failover'], FAILOVER_DEFAULTS],
    [['drill', 'failover', '--dry-run', '--kill', '--failback'], { ...FAILOVER_DEFAULTS, dryRun: true, kill: true, failback: true }],
    [['drill', 'failover', '--warmup', '300ms', '--settle', '2s', '--failover-timeout', '1m', '--rate', '50', '--wait-timeout', '250'], { ...FAILOVER_DEFAULTS, warmup: '300ms', settle: '2s', failoverTimeout: '1m', rate: 50, waitTimeout: 250 }],
    [['drill', 'failover', '--i-know-this-is-production', '--format', 'json'], { ...FAILOVER_DEFAULTS, iKnowThisIsProduction: true, format: 'json' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['drill', 'failover', '--rate', '0'], /^--rate: Too small/],
    [['drill', 'failover', '--wait-timeout', 'soon'], /^--wait-timeout: /],
    [['drill', 'failover', '--format', 'prometheus'], /argument 'prometheus' is invalid/],
    [['drill', 'failover', '--textfile', 'x'], /unknown option '--textfile'/],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    const err = await parsedOptions(argv).then(() => undefined, (e: { message: string }) => e);
    expect(err?.message).toMatch(message);
  });

  it('a bad duration is exit 3 before anything is reached', async () => {
    const t = testContext({ global: { url: 'redis://127.0.0.1:1' } });
    await expect(drillFailover.run({ ...FAILOVER_DEFAULTS, warmup: 'soon' } as DrillFailoverFlags, t.ctx)).rejects.toMatchObject({ exitCode: 3, message: 'invalid --warmup "soon"' });
  });
});

describe('drill failover refuses production', () => {
  const spec = (source: string) => ({ topology: 'sentinel', nodes: [], auth: {}, timeoutMs: 1000, source }) as ConnectionSpec;
  it.each([
    [{}, 'target prod-eu', 'prod-eu', 'the target is named "prod-eu"'],
    [{ profile: 'production' as const }, 'target main', 'main', 'gridctl.yaml has profile: production'],
    [{ profile: 'production' as const }, 'gridctl up state (/x)', undefined, undefined],
    [{ profile: 'staging' as const }, 'target staging', 'staging', undefined],
  ])('%j via %s -> %s', (config, source, target, reason) => {
    expect(productionReason(config, spec(source), target)).toBe(reason);
  });

  it('exit 3 without --i-know-this-is-production, allowed with it', () => {
    expect(() => refuseProduction('the target is named "prod"', false, 'run a failover drill')).toThrow(expect.objectContaining({ exitCode: 3, message: 'refusing to run a failover drill on a production deployment (the target is named "prod")' }));
    expect(() => refuseProduction('the target is named "prod"', true, 'run a failover drill')).not.toThrow();
  });
});

function restoreReport(ok: boolean): RestoreDrillReport {
  return {
    ok,
    file: '/b/gridctl-backup-20261207T100000000Z.gbk',
    manifest: '/b/gridctl-backup-20261207T100000000Z.manifest.json',
    backup: { mode: 'logical', topology: 'cluster', serverVersion: '7.0.15', startedAt: '2026-12-07T10:00:00.000Z', ageSeconds: 7200, records: 35 },
    throwaway: { topology: 'cluster', serverVersion: '7.0.15', processes: 6, pids: [1, 2, 3, 4, 5, 6], startSeconds: 3.2 },
    restoreSeconds: 0.41,
    restored: 35,
    skippedExpired: 0,
    checks: [
      { check: 'keys by type', status: 'PASS', expected: 'hash 10, string 25', actual: 'hash 10, string 25' },
      { check: 'keys by namespace', status: ok ? 'PASS' : 'FAIL', expected: 'order:{order_id} 11', actual: 'order:{order_id} 10', ...(ok ? {} : { detail: 'order:{order_id}: backup 11, restored 10' }) },
    ],
    durationSeconds: 4.1,
  };
}

describe('drill restore render and verdict', () => {
  afterEach(() => configureColors(false));

  it('piped: one tab-separated row per check, nothing else', () => {
    const t = testContext({ tty: false });
    drillRestore.render(restoreReport(false), t.ctx.out, RESTORE_DEFAULTS as DrillRestoreFlags);
    expect(t.stdout()).toBe('keys by type\tPASS\thash 10, string 25\thash 10, string 25\t\nkeys by namespace\tFAIL\torder:{order_id} 11\torder:{order_id} 10\torder:{order_id}: backup 11, restored 10\n');
  });

  it('on a terminal: the verdict, the backup, the throwaway deployment and the RTO above the checks', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    drillRestore.render(restoreReport(true), t.ctx.out, RESTORE_DEFAULTS as DrillRestoreFlags);
    const text = t.stdout();
    expect(text).toContain('DRILL PASSED');
    expect(text).toContain('into a throwaway cluster deployment (6 processes, Redis 7.0.15, started in 3.2 s; stopped and removed)');
    expect(text).toContain('RTO       0.41 s for 35 keys');
    expect(text).toContain('2.0 h ago');
    expect(text).toContain('EXPECTED');
  });

  it('prometheus: success, RTO and the age of the backup', () => {
    const t = testContext();
    drillRestore.render(restoreReport(true), t.ctx.out, { ...RESTORE_DEFAULTS, format: 'prometheus' } as DrillRestoreFlags);
    expect(t.stdout()).toMatch(/^# HELP gridctl_drill_restore_success .*\n# TYPE gridctl_drill_restore_success gauge\ngridctl_drill_restore_success 1\n/);
    expect(t.stdout()).toContain('\ngridctl_drill_restore_seconds 0.41\n');
    expect(t.stdout()).toContain('\ngridctl_drill_restore_age_seconds 7200\n');
  });

  it.each([[true, 0], [false, 1]] as const)('ok=%s exits %i', (ok, code) => {
    expect(drillRestore.verdict!(restoreReport(ok), RESTORE_DEFAULTS as DrillRestoreFlags)).toBe(code);
  });
});

function failoverReport(overrides: Partial<FailoverDrillReport> = {}): FailoverDrillReport {
  const client = { commands: 120, failed: 1, errors: ['ERR WAIT cannot be used with replica instances.'], longestGapMs: 1050, backAfterMs: 1052, servedAfterFailover: true };
  return {
    ok: true,
    dryRun: false,
    topology: 'sentinel',
    plan: { topology: 'sentinel', method: 'SENTINEL FAILOVER', master: '127.0.0.1:7001', replicas: ['127.0.0.1:7002', '127.0.0.1:7003'], via: '127.0.0.1:26379' },
    phases: [{ name: 'failover', method: 'SENTINEL FAILOVER', from: '127.0.0.1:7001', to: '127.0.0.1:7002', triggeredAt: '2026-12-07T12:00:00.000Z', failoverSeconds: 0.94, writesBackAfterSeconds: 1.05, longestWriteGapSeconds: 1.05, failedWrites: 1, failedReads: 0 }],
    writer: { ...client, written: 120, acknowledged: 119, unacknowledged: 0 },
    reader: { ...client, failed: 0, errors: [] },
    lostAcknowledged: 0,
    lostKeys: [],
    allReconnected: true,
    clientRestarts: { writer: 0, reader: 0 },
    healthyAfter: { healthy: true, detail: '127.0.0.1:7002 is the master with 2 replica(s) online, every sentinel agrees' },
    unplannedFailovers: [],
    changes: ['CLIENT PAUSE 30000 WRITE on the master 127.0.0.1:7001', 'SENTINEL FAILOVER gridtokenx (master was 127.0.0.1:7001)', 'deleted the 120 drill keys'],
    keyPrefix: 'drill:{failover-abcd}:',
    durationSeconds: 3.1,
    ...overrides,
  };
}

describe('drill failover render and verdict', () => {
  it('piped: the phase row, then the measurements and every change, tab-separated', () => {
    const t = testContext({ tty: false });
    drillFailover.render(failoverReport(), t.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    const lines = t.stdout().trimEnd().split('\n');
    expect(lines[0]).toBe('failover\t127.0.0.1:7001 -> 127.0.0.1:7002\tSENTINEL FAILOVER\t0.94 s\t1.05 s\t1.05 s\t1\t0');
    expect(lines).toContain('lost acknowledged writes\t0');
    expect(lines).toContain('changed\tCLIENT PAUSE 30000 WRITE on the master 127.0.0.1:7001');
    expect(lines).toContain('\tdeleted the 120 drill keys');
    expect(t.stderr()).toContain('drill: client error seen: ERR WAIT cannot be used with replica instances.');
  });

  it('a client ioredis ended during the failover (and the drill started again) is said on the reconnect row and on stderr', () => {
    const t = testContext({ tty: false });
    drillFailover.render(failoverReport({ clientRestarts: { writer: 1, reader: 0 } }), t.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    expect(t.stdout().split('\n')).toContain('clients reconnected\tall (writer, reader); the writer only after a restart of its client');
    expect(t.stderr()).toContain('drill: the writer\'s ioredis client ended during the failover and was started again (1 time)');
    const quiet = testContext({ tty: false });
    drillFailover.render(failoverReport(), quiet.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    expect(quiet.stderr()).not.toContain('started again');
  });

  it('a second failover the deployment made by itself is a row and a warning naming both masters', () => {
    const t = testContext({ tty: false });
    drillFailover.render(failoverReport({ unplannedFailovers: [{ from: '127.0.0.1:7002', to: '127.0.0.1:7003' }], healthyAfter: { healthy: true, detail: '127.0.0.1:7003 is the master with 2 replica(s) online, every sentinel agrees' } }), t.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    expect(t.stdout().split('\n')).toContain('failed over again\t127.0.0.1:7002 -> 127.0.0.1:7003, by the deployment itself');
    expect(t.stderr()).toContain('the deployment failed over again by itself, 127.0.0.1:7002 -> 127.0.0.1:7003: the new master did not answer for longer than down-after-milliseconds');
    const quiet = testContext({ tty: false });
    drillFailover.render(failoverReport(), quiet.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    expect(quiet.stdout()).not.toContain('failed over again');
  });

  it('lost writes are listed by key', () => {
    const t = testContext({ tty: true });
    drillFailover.render(failoverReport({ ok: false, lostAcknowledged: 2, lostKeys: ['drill:{failover-abcd}:52', 'drill:{failover-abcd}:53'] }), t.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    expect(t.stdout()).toContain('DRILL FAILED');
    expect(t.stdout()).toContain('2: drill:{failover-abcd}:52, drill:{failover-abcd}:53');
  });

  it('dry run: says what would be failed over and that nothing was changed', () => {
    const t = testContext({ tty: false });
    drillFailover.render(failoverReport({ dryRun: true, phases: [], changes: [] }), t.ctx.out, FAILOVER_DEFAULTS as DrillFailoverFlags);
    expect(t.stdout()).toBe('DRY RUN: nothing was changed. Would write drill:{failover-abcd}:<n> keys and fail sentinel master 127.0.0.1:7001 (replicas 127.0.0.1:7002, 127.0.0.1:7003) over: SENTINEL FAILOVER via 127.0.0.1:26379 (the master\'s writes paused meanwhile).\n');
  });

  it.each([[true, 0], [false, 1]] as const)('ok=%s exits %i', (ok, code) => {
    expect(drillFailover.verdict!(failoverReport({ ok }), FAILOVER_DEFAULTS as DrillFailoverFlags)).toBe(code);
  });
});
