import type { AnyRedis } from '../redis/connect.js';
import type { LockEntry } from './describe.js';
import { forceReleaseArgs } from './inspect.js';
import { FORCE_RELEASE_SCRIPT } from './scripts.js';
import { appendAuditRecord, auditIdentity, type ForceReleaseAuditRecord } from './audit-log.js';

export interface ForceReleaseReport {
  key: string;
  /** removed; changed (a new holder took it after confirmation: nothing removed); absent (already gone); dry-run. */
  outcome: 'removed' | 'changed' | 'absent' | 'dry-run';
  type: string;
  /** The full token (string lock) or Redisson owners that were removed / would be removed. */
  token?: string;
  holders?: LockEntry['holders'];
  ttlMsLeft: number | null;
  auditLog?: string;
}

/**
 * Remove a lock the operator has seen and confirmed, whatever its token, but only if it is still
 * exactly what they saw (see FORCE_RELEASE_SCRIPT), then append the audit record. `dryRun` stops
 * at the single write point and reports what would be removed.
 */
export async function forceReleaseLock(
  client: AnyRedis,
  entry: LockEntry,
  opts: { auditLog: string; target: string; reason?: string; dryRun?: boolean; env: Readonly<Record<string, string | undefined>> },
): Promise<ForceReleaseReport> {
  const report: ForceReleaseReport = { key: entry.key, outcome: 'dry-run', type: entry.type, ttlMsLeft: entry.ttlMs };
  if (entry.token !== undefined) report.token = entry.token;
  if (entry.holders) report.holders = entry.holders;
  if (opts.dryRun) return report;
  const r = Number(await client.eval(FORCE_RELEASE_SCRIPT, 1, entry.key, ...forceReleaseArgs(entry)));
  report.outcome = r === 1 ? 'removed' : r === -1 ? 'absent' : 'changed';
  if (report.outcome !== 'removed') return report;
  const record: ForceReleaseAuditRecord = {
    time: new Date().toISOString(),
    action: 'lock.release.force',
    key: entry.key,
    type: entry.type,
    removed: entry.token ?? (entry.holders ?? []).map((h) => h.owner).join(',') ?? '',
    ttlMsLeft: entry.ttlMs,
    target: opts.target,
    ...auditIdentity(opts.env),
    ...(opts.reason ? { reason: opts.reason } : {}),
  };
  await appendAuditRecord(opts.auditLog, record);
  report.auditLog = opts.auditLog;
  return report;
}
