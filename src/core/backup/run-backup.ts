import type { Deployment } from '../redis/deployment.js';
import type { ConnectionSpec } from '../redis/spec.js';
import type { BackupOptions, BackupReport } from './backup.js';
import type { RdbBackupOptions } from './rdb-backup.js';

export type BackupOfMode = { mode: 'logical'; options: BackupOptions } | { mode: 'rdb'; options: RdbBackupOptions };

/**
 * One backup in the mode asked for. Each mode's implementation is loaded only when it runs, so a
 * nightly RDB backup does not load (or parse) the logical dumper and its archive writer, nor the
 * other way round.
 */
export async function runBackupOfMode(spec: ConnectionSpec, openDeployment: () => Promise<Deployment>, backup: BackupOfMode): Promise<BackupReport> {
  if (backup.mode === 'rdb') {
    const { runRdbBackup } = await import('./rdb-backup.js');
    return runRdbBackup(spec, openDeployment, backup.options);
  }
  const { runLogicalBackup } = await import('./backup.js');
  return runLogicalBackup(spec, openDeployment, backup.options);
}
