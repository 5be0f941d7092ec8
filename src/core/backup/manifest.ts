import { readFile, unlink } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { describeWriteFailure } from '../fs/write-failure.js';
import { GridctlError } from '../errors.js';
import type { TypeCounts } from './archive-format.js';
import type { ServerIdentity } from '../compat/server-identity.js';
import { VERSION } from '../../version.js';

/** The JSON written beside every backup: what monitoring and humans read without opening the archive. */
export interface BackupManifest {
  kind: 'gridctl-backup-manifest';
  manifestVersion: 1;
  mode: 'logical' | 'rdb';
  gridctlVersion: string;
  topology: string;
  serverVersion: string;
  /** What restore's pre-flight compares with the target (absent in manifests written before it). */
  source?: ServerIdentity;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  encrypted: boolean;
  /** The archive (logical) or the RDB files (rdb), names relative to the manifest. */
  files: Array<{ name: string; bytes: number; sha256: string; master?: string }>;
  bytes: number;
  records: number;
  countsByType: TypeCounts;
  countsByNamespace: Record<string, number>;
  countsByMaster: Record<string, { records: number; role: 'master' | 'replica'; from: string }>;
  verified: boolean;
}

/** What a finished backup says about its contents; the rest of the manifest comes from the run. */
export type ManifestContents = Pick<BackupManifest, 'mode' | 'encrypted' | 'files' | 'bytes' | 'records' | 'countsByType' | 'countsByNamespace' | 'countsByMaster'>;

/** The manifest of a backup that read `sources` (the first names the server) between `started` and `ended`. */
export function buildManifest(
  run: { topology: string; sources: ReadonlyArray<{ serverVersion: string; identity: ServerIdentity }>; started: Date; ended: Date },
  contents: ManifestContents,
): BackupManifest {
  const { mode, ...rest } = contents;
  return {
    kind: 'gridctl-backup-manifest',
    manifestVersion: 1,
    mode,
    gridctlVersion: VERSION,
    topology: run.topology,
    serverVersion: run.sources[0]!.serverVersion,
    source: run.sources[0]!.identity,
    startedAt: run.started.toISOString(),
    endedAt: run.ended.toISOString(),
    durationMs: run.ended.getTime() - run.started.getTime(),
    ...rest,
    verified: true,
  };
}

/**
 * Write the manifest, the last step of a backup. If that fails (a full disk) the backup's files,
 * already under their final names, are removed: a backup without its manifest is not one, and
 * --keep would otherwise count it.
 */
export async function writeManifest(file: string, manifest: BackupManifest, backupFiles: readonly string[] = []): Promise<void> {
  try {
    await writeFileAtomic(file, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
  } catch (err) {
    await Promise.all(backupFiles.map((f) => unlink(f).catch(() => undefined)));
    throw new GridctlError('OPERATION_FAILED', `writing the manifest ${file} failed: ${describeWriteFailure(err)}; the backup was removed, nothing was left under a final name`, {
      hint: 'free space in the backup folder (or raise its limit) and run the backup again',
      cause: err,
    });
  }
}

export async function readManifest(file: string): Promise<BackupManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as BackupManifest;
    return m.kind === 'gridctl-backup-manifest' ? m : undefined;
  } catch {
    return undefined;
  }
}
