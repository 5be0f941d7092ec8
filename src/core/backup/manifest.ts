import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { TypeCounts } from './archive-format.js';
import type { ServerIdentity } from '../compat/server-identity.js';

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

export async function writeManifest(file: string, manifest: BackupManifest): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
}

export async function readManifest(file: string): Promise<BackupManifest | undefined> {
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as BackupManifest;
    return m.kind === 'gridctl-backup-manifest' ? m : undefined;
  } catch {
    return undefined;
  }
}
