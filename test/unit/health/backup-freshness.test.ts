import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backupFreshnessCheck } from '../../../src/core/health/backup-freshness.js';
import { backupBaseName } from '../../../src/core/backup/backup-naming.js';
import { DEFAULT_SLO } from '../../../src/core/config/defaults.js';
import { parseDuration } from '../../../src/core/duration.js';
import { renderHealthPrometheus } from '../../../src/ui/views/health-view.js';
import { summarize } from '../../../src/core/health/types.js';
import { singleNodeCoverage } from '../../../src/core/redis/coverage.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-07T12:00:00.000Z');

async function writeBackupManifest(dir: string, endedAt: number, verified = true): Promise<void> {
  const base = backupBaseName(new Date(endedAt - 60_000));
  const manifest = { kind: 'gridctl-backup-manifest', manifestVersion: 1, mode: 'logical', topology: 'standalone', serverVersion: '7.0.15', startedAt: new Date(endedAt - 60_000).toISOString(), endedAt: new Date(endedAt).toISOString(), durationMs: 60_000, encrypted: false, files: [], bytes: 1, records: 42, countsByType: {}, countsByNamespace: {}, countsByMaster: {}, verified };
  await writeFile(path.join(dir, `${base}.manifest.json`), JSON.stringify(manifest));
}

describe('backup-freshness', () => {
  let dir: string;
  const maxAge = parseDuration(DEFAULT_SLO.backupMaxAge);
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-fresh-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('defaults to 26 h', () => {
    expect(maxAge).toBe(26 * HOUR);
  });

  it('PASS with a verified backup younger than slo.backupMaxAge, with its age as metrics', async () => {
    await writeBackupManifest(dir, NOW - 25 * HOUR);
    const check = await backupFreshnessCheck(dir, maxAge, { now: NOW });
    expect(check).toMatchObject({ check: 'backup-freshness', status: 'PASS', metrics: { backup_age_seconds: 25 * 3600, backup_last_success_timestamp_seconds: (NOW - 25 * HOUR) / 1000 } });
    expect(check.value).toMatch(/^1d1h old: 2026-12-06T11:00:00.000Z \(logical, 42 records\)$/);
  });

  it('FAIL past slo.backupMaxAge: the newest verified backup counts, an unverified newer one does not', async () => {
    await writeBackupManifest(dir, NOW - 27 * HOUR);
    await writeBackupManifest(dir, NOW - 1 * HOUR, false);
    const check = await backupFreshnessCheck(dir, maxAge, { now: NOW });
    expect(check.status).toBe('FAIL');
    expect(check.value).toMatch(/^1d3h old/);
    expect(check.detail).toContain(`gridctl backup --dir ${dir}`);
  });

  it('a shorter slo.backupMaxAge fails a backup the default would pass', async () => {
    await writeBackupManifest(dir, NOW - 3 * HOUR);
    expect((await backupFreshnessCheck(dir, maxAge, { now: NOW })).status).toBe('PASS');
    expect((await backupFreshnessCheck(dir, parseDuration('2h'), { now: NOW })).status).toBe('FAIL');
  });

  it('FAIL with no backup at all, SKIP without a directory', async () => {
    expect(await backupFreshnessCheck(dir, maxAge, { now: NOW })).toMatchObject({ status: 'FAIL', value: `no verified backup in ${dir}` });
    expect(await backupFreshnessCheck(path.join(dir, 'missing'), maxAge, { now: NOW })).toMatchObject({ status: 'FAIL' });
    expect(await backupFreshnessCheck(undefined, maxAge, { now: NOW })).toMatchObject({ status: 'SKIP' });
  });

  it("gridctl.yaml's backup.dir absent on this host: SKIP (an empty one is still a FAIL)", async () => {
    expect(await backupFreshnessCheck(path.join(dir, 'on-the-backup-host'), maxAge, { now: NOW, configured: true })).toMatchObject({ status: 'SKIP', value: `backup.dir ${path.join(dir, 'on-the-backup-host')} is not on this host` });
    expect(await backupFreshnessCheck(dir, maxAge, { now: NOW, configured: true })).toMatchObject({ status: 'FAIL' });
  });

  it('reaches the Prometheus textfile as gridctl_backup_last_success_timestamp_seconds (what the alert reads)', async () => {
    await writeBackupManifest(dir, NOW - HOUR);
    const check = await backupFreshnessCheck(dir, maxAge, { now: NOW });
    const text = renderHealthPrometheus({ topology: 'standalone', source: '--url', checkedAt: new Date(NOW).toISOString(), tls: false, coverage: singleNodeCoverage('standalone', '127.0.0.1:6379'), nodes: [], deployment: [check], summary: summarize([check]) });
    expect(text).toContain(`gridctl_backup_last_success_timestamp_seconds{node="deployment",role="standalone",check="backup-freshness"} ${(NOW - HOUR) / 1000}`);
  });
});
