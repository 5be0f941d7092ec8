import { readManifest } from '../backup/manifest.js';
import { manifestPathFor } from '../backup/backup-naming.js';
import type { BackupOrigin } from './can-load.js';

/**
 * A backup's origin for the restore pre-flight: the newest RDB version among its records, and the
 * engine and version from the manifest beside it when it has them (an archive header's
 * serverVersion is redis_version, 7.2.4 on every Valkey).
 */
export async function backupOrigin(file: string, rdbVersion: number, headerVersion?: string): Promise<BackupOrigin> {
  const source = file.endsWith('.rdb') ? undefined : (await readManifest(manifestPathFor(file)).catch(() => undefined))?.source;
  if (source) return { engine: source.engine, version: source.version, rdbVersion };
  return headerVersion ? { version: headerVersion, rdbVersion } : { rdbVersion };
}
