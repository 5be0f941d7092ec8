import { stat } from 'node:fs/promises';
import { readManifest } from '../backup/manifest.js';
import { formatDuration } from '../duration.js';
import { manifestsNewestFirst } from '../drill/backup-pick.js';
import type { HealthCheck } from './types.js';

/**
 * The age of the newest successful backup in dir (a manifest is written only once its backup was
 * verified, and says so): FAIL past maxAgeMs, or when there is none. "backups 100% successful"
 * is only true if the last one is recent.
 */
export async function backupFreshnessCheck(dir: string | undefined, maxAgeMs: number, opts: { now?: number; configured?: boolean } = {}): Promise<HealthCheck> {
  const now = opts.now ?? Date.now();
  const threshold = `newest backup < ${formatDuration(maxAgeMs)} old (slo.backupMaxAge)`;
  if (!dir) return { check: 'backup-freshness', status: 'SKIP', value: 'no backup directory (gridctl.yaml backup.dir or --backup-dir)', threshold };
  // gridctl.yaml's backup.dir is where the backup job writes, maybe on another host (a laptop
  // running `up --from .`, a monitoring host): absent here, it cannot be judged. --backup-dir must exist.
  if (opts.configured && !(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    return { check: 'backup-freshness', status: 'SKIP', value: `backup.dir ${dir} is not on this host`, threshold, detail: 'run health where the backups are, or pass --backup-dir' };
  }
  for (const file of await manifestsNewestFirst(dir)) {
    const manifest = await readManifest(file);
    if (!manifest?.verified) continue;
    const endedAt = Date.parse(manifest.endedAt);
    const ageMs = Math.max(0, now - endedAt);
    const check: HealthCheck = {
      check: 'backup-freshness',
      status: ageMs > maxAgeMs ? 'FAIL' : 'PASS',
      value: `${formatDuration(ageMs)} old: ${manifest.endedAt} (${manifest.mode}, ${manifest.records} records)`,
      threshold,
      metrics: { backup_age_seconds: Math.round(ageMs / 1000), backup_last_success_timestamp_seconds: Math.floor(endedAt / 1000) },
    };
    if (check.status === 'FAIL') check.detail = `the backup job has not succeeded for ${formatDuration(ageMs)}: check its log (systemd timer / cron) and run \`gridctl backup --dir ${dir}\``;
    return check;
  }
  return { check: 'backup-freshness', status: 'FAIL', value: `no verified backup in ${dir}`, threshold, detail: `run \`gridctl backup --dir ${dir}\` (and schedule it: gridctl init renders a timer)` };
}
