import path from 'node:path';
import type { NamespaceConfig } from '../config/schema.js';
import { Deployment } from '../redis/deployment.js';
import { readKeyFile } from '../backup/archive-crypto.js';
import type { TypeCounts } from '../backup/archive-format.js';
import { runRestore, type RestoreReport } from '../restore/restore.js';
import type { Topology } from '../redis/spec.js';
import type { PickedBackup } from './backup-pick.js';
import { sampleArchive, type ArchiveSample } from './archive-sample.js';
import { startThrowawayDeployment } from './throwaway-deployment.js';
import { compareCounts, countRestoredKeys } from './restored-counts.js';
import { checkTtls, compareWithSource } from './sample-checks.js';
import { failed, type DrillCheck } from './drill-check.js';
import { describeServer, type Engine } from '../compat/server-identity.js';

/** A server as the drill names it: engine and its own version. */
type ServerName = { engine: Engine; version: string };

export interface RestoreDrillOptions {
  backup: PickedBackup;
  /** The namespaces the backup counted keys by (gridctl.yaml, else the gateway's). */
  namespaces: readonly NamespaceConfig[];
  encryptKeyFile?: string;
  /** Keys sampled for the TTL check and the comparison with the source. */
  sampleSize: number;
  timeoutMs: number;
  redisServer?: string;
  redisSentinel?: string;
  /** The live source, for the sample comparison; throws when it cannot be reached (then skipped, with why). */
  openSource?: () => Promise<Deployment>;
  onProgress?(message: string): void;
}

export interface RestoreDrillReport {
  ok: boolean;
  file: string;
  manifest?: string;
  backup: { mode: 'logical' | 'rdb'; topology: string; engine?: Engine; serverVersion: string; startedAt: string; ageSeconds: number; records: number };
  throwaway: { topology: Topology; engine?: Engine; serverVersion: string; processes: number; pids: number[]; startSeconds: number };
  /** The restore into the throwaway deployment, verification included: the RTO on this machine. */
  restoreSeconds: number;
  restored: number;
  skippedExpired: number;
  checks: DrillCheck[];
  durationSeconds: number;
}

/**
 * Restore a backup into a throwaway local deployment of its topology (the `gridctl up` harness),
 * then check what can be checked: the manifest against the archive, the restore's own checks,
 * key counts per type and namespace against the manifest, TTLs of a sample, and a sample against
 * the live source when it is reachable. The deployment is gone when this returns or throws.
 */
export async function runRestoreDrill(opts: RestoreDrillOptions): Promise<RestoreDrillReport> {
  const started = Date.now();
  const { backup } = opts;
  const keyMaterial = opts.encryptKeyFile ? await readKeyFile(opts.encryptKeyFile) : undefined;
  const rdb = backup.manifest?.mode === 'rdb' || backup.file.endsWith('.rdb');
  opts.onProgress?.(`verifying ${backup.file}`);
  const sample = rdb ? undefined : await sampleArchive(backup.file, opts.sampleSize, keyMaterial);
  const checks: DrillCheck[] = sample ? manifestChecks(backup, sample) : [];
  const topology = topologyOf(backup.manifest?.topology ?? sample?.verified.header.topology);

  opts.onProgress?.(`starting a throwaway ${topology} deployment`);
  const throwaway = await startThrowawayDeployment({ topology, timeoutMs: opts.timeoutMs, ...binaries(opts), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const startSeconds = (Date.now() - started) / 1000;
  let restore: RestoreReport;
  try {
    const dep = await Deployment.open(throwaway.spec);
    try {
      opts.onProgress?.('restoring');
      restore = await runRestore(dep, {
        file: backup.file,
        onConflict: 'fail',
        dryRun: false,
        sampleSize: opts.sampleSize,
        ...(opts.encryptKeyFile ? { encryptKeyFile: opts.encryptKeyFile } : {}),
        confirmNonEmpty: async () => true,
      });
      checks.push(...(await afterRestore(dep, restore, backup, sample, opts)));
    } finally {
      await dep.close();
    }
  } finally {
    await throwaway.stop();
  }
  const source = restore.source;
  const backupServer = { engine: backup.manifest?.source?.engine ?? source.engine ?? 'redis', version: backup.manifest?.serverVersion ?? source.serverVersion };
  const localServer = { engine: restore.target.engine, version: restore.target.serverVersion };
  const report: RestoreDrillReport = {
    ok: failed(checks).length === 0,
    file: backup.file,
    ...(backup.manifestFile ? { manifest: backup.manifestFile } : {}),
    backup: {
      mode: rdb ? 'rdb' : 'logical',
      topology: backup.manifest?.topology ?? source.topology,
      engine: backupServer.engine,
      serverVersion: backupServer.version,
      startedAt: backup.manifest?.startedAt ?? source.startedAt,
      ageSeconds: Math.max(0, Math.round((Date.now() - Date.parse(backup.manifest?.endedAt ?? source.endedAt ?? source.startedAt)) / 1000)),
      records: backup.manifest?.records ?? source.records,
    },
    throwaway: { topology, engine: localServer.engine, serverVersion: localServer.version, processes: throwaway.pids.length, pids: throwaway.pids, startSeconds },
    restoreSeconds: restore.durationMs / 1000,
    restored: restore.restored,
    skippedExpired: restore.skippedExpired,
    checks: [versionCheck(backupServer, localServer), ...checks],
    durationSeconds: (Date.now() - started) / 1000,
  };
  return report;
}

function binaries(opts: RestoreDrillOptions): { redisServer?: string; redisSentinel?: string } {
  return { ...(opts.redisServer ? { redisServer: opts.redisServer } : {}), ...(opts.redisSentinel ? { redisSentinel: opts.redisSentinel } : {}) };
}

function topologyOf(name: string | undefined): Topology {
  return name === 'sentinel' || name === 'cluster' ? name : 'standalone';
}

/** The manifest must describe the archive beside it: its size and its record count. */
function manifestChecks(backup: PickedBackup, sample: ArchiveSample): DrillCheck[] {
  const m = backup.manifest;
  if (!m) return [{ check: 'manifest', status: 'SKIP', detail: 'no manifest beside the archive; counts are checked against the archive footer' }];
  const entry = m.files.find((f) => f.name === path.basename(backup.file));
  const problems: string[] = [];
  if (m.records !== sample.verified.records) problems.push(`records: manifest ${m.records}, archive ${sample.verified.records}`);
  if (entry && entry.bytes !== sample.verified.bytes) problems.push(`bytes: manifest ${entry.bytes}, archive ${sample.verified.bytes}`);
  if (!m.verified) problems.push('the manifest says the backup was not verified when written');
  return [{ check: 'manifest', status: problems.length ? 'FAIL' : 'PASS', expected: `${m.records} records`, actual: `${sample.verified.records} records, ${sample.verified.bytes} bytes`, ...(problems.length ? { detail: problems.join('; ') } : {}) }];
}

/** The checks on the restored deployment. */
async function afterRestore(dep: Deployment, restore: RestoreReport, backup: PickedBackup, sample: ArchiveSample | undefined, opts: RestoreDrillOptions): Promise<DrillCheck[]> {
  const checks: DrillCheck[] = [restoreCheck(restore)];
  const counts = await countRestoredKeys(dep, opts.namespaces);
  // An RDB backup's manifest counts no types: then what the RDB files held, as the restore read them.
  const fromRestore: TypeCounts = Object.fromEntries(Object.entries(restore.countsByType).map(([t, v]) => [t, v!.archive]));
  const expectedTypes: TypeCounts = backup.manifest?.mode === 'logical' ? backup.manifest.countsByType : (sample?.verified.countsByType ?? fromRestore);
  checks.push(compareCounts('keys by type', expectedTypes, counts.byType, restore.skippedExpired));
  const m = backup.manifest;
  checks.push(
    m?.mode === 'logical'
      ? compareCounts('keys by namespace', m.countsByNamespace, counts.byNamespace, restore.skippedExpired)
      : { check: 'keys by namespace', status: 'SKIP', detail: m ? 'an RDB backup\'s manifest has no counts per namespace' : 'no manifest' },
  );
  checks.push({ check: 'digest', status: 'SKIP', detail: 'the manifest carries no DEBUG DIGEST' });
  checks.push(sample ? await checkTtls(dep.client, sample.expiring) : { check: 'ttl', status: 'SKIP', detail: 'RDB backup: TTLs come with the RDB file (checked by the restore sample)' });
  checks.push(sample ? await sourceCheck(sample, opts) : { check: 'source-sample', status: 'SKIP', detail: 'RDB backup: no key sample' });
  return checks;
}

function restoreCheck(r: RestoreReport): DrillCheck {
  const problems: string[] = [];
  if (r.failed) problems.push(`${r.failed} key(s) failed to restore`);
  if (r.typeMismatches) problems.push(`${r.typeMismatches} key(s) of another type after RESTORE`);
  if (r.sample.mismatched.length) problems.push(`sample re-DUMP differs: ${r.sample.mismatched.slice(0, 5).join(', ')}`);
  for (const e of r.errors.slice(0, 3)) problems.push(`${e.key}: ${e.message}`);
  return {
    check: 'restore',
    status: r.ok && !problems.length ? 'PASS' : 'FAIL',
    expected: `${r.selected} records restored`,
    actual: `${r.restored} restored, ${r.skippedExpired} expired, sample ${r.sample.matched}/${r.sample.checked}`,
    ...(problems.length ? { detail: problems.join('; ') } : {}),
  };
}

async function sourceCheck(sample: ArchiveSample, opts: RestoreDrillOptions): Promise<DrillCheck> {
  if (!opts.openSource) return { check: 'source-sample', status: 'SKIP', detail: 'no source given' };
  let source: Deployment;
  try {
    source = await opts.openSource();
  } catch (err) {
    return { check: 'source-sample', status: 'SKIP', detail: `source not reachable: ${(err as Error).message}` };
  }
  try {
    return await compareWithSource(source.client, sample.any);
  } catch (err) {
    return { check: 'source-sample', status: 'SKIP', detail: `source not readable: ${(err as Error).message}` };
  } finally {
    await source.close();
  }
}

/** The drill runs on the local redis-server: said when it is not the backup's major.minor. */
function versionCheck(backupServer: ServerName, localServer: ServerName): DrillCheck {
  const mm = (v: string) => v.split('.').slice(0, 2).join('.');
  const same = backupServer.engine === localServer.engine && mm(backupServer.version) === mm(localServer.version);
  return {
    check: 'server-version',
    status: same ? 'PASS' : 'WARN',
    expected: `${describeServer(backupServer)} (the backup's)`,
    actual: `${describeServer(localServer)} (local server)`,
    ...(same ? {} : { detail: 'pass --redis-server with a binary of the source version to rehearse on the same version' }),
  };
}
