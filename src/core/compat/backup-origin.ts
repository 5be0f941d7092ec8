import { open } from 'node:fs/promises';
import { readManifest } from '../backup/manifest.js';
import { manifestPathFor } from '../backup/backup-naming.js';
import { HEADER_BYTES, parseHeader } from '../rdb/header.js';
import type { BackupOrigin } from './can-load.js';
import type { Engine } from './server-identity.js';

/**
 * A backup's origin for the restore pre-flight: the newest RDB version among its records, and the
 * engine and version from the manifest beside it when it has them, else from the archive header
 * (written before the header named its engine, Valkey's serverVersion was its redis_version 7.2.4).
 */
export async function backupOrigin(file: string, rdbVersion: number, header?: { engine?: Engine; serverVersion?: string }): Promise<BackupOrigin> {
  const source = file.endsWith('.rdb') ? undefined : (await readManifest(manifestPathFor(file)).catch(() => undefined))?.source;
  if (source) return { engine: source.engine, version: source.version, rdbVersion };
  if (!header?.serverVersion) return { rdbVersion };
  return { ...(header.engine ? { engine: header.engine } : {}), version: header.serverVersion, rdbVersion };
}

/** The RDB version in an RDB file's first 9 bytes ("REDIS0012", "VALKEY080"). */
async function rdbFileVersion(file: string): Promise<number> {
  const h = await open(file, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await h.read(head, 0, HEADER_BYTES, 0);
    return parseHeader(head.subarray(0, bytesRead)).version;
  } finally {
    await h.close();
  }
}

/**
 * The origin of an RDB backup (its manifest, or a bare RDB file): the newest RDB version among its
 * files, read from their headers, so a file the target cannot load is refused before a throwaway
 * server even loads it.
 */
export async function rdbBackupOrigin(backup: { file: string; manifest?: string; files: ReadonlyArray<{ file: string }> }): Promise<BackupOrigin> {
  const versions = await Promise.all(backup.files.map((f) => rdbFileVersion(f.file)));
  return backupOrigin(backup.manifest ?? backup.file, Math.max(...versions));
}
