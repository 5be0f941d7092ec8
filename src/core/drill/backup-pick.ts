import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { readManifest, type BackupManifest } from '../backup/manifest.js';
import { manifestPathFor, stampOf } from '../backup/backup-naming.js';

/** The backup a drill restores: the file restore is given, and its manifest when there is one. */
export interface PickedBackup {
  /** What `restore` takes: the .gbk archive, or the manifest of an RDB backup, or a bare file. */
  file: string;
  manifestFile?: string;
  manifest?: BackupManifest;
}

/** Manifests in dir, newest first (by the timestamp in their names). */
export async function manifestsNewestFirst(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw new GridctlError('USAGE', `cannot read the backup directory ${dir}: ${err.message}`, { cause: err });
  });
  return names
    .filter((n) => n.endsWith('.manifest.json') && stampOf(n))
    .sort()
    .reverse()
    .map((n) => path.join(dir, n));
}

/** The newest backup in dir whose manifest says it was verified when it was written. */
export async function newestVerifiedBackup(dir: string): Promise<PickedBackup> {
  for (const manifestFile of await manifestsNewestFirst(dir)) {
    const manifest = await readManifest(manifestFile);
    if (manifest?.verified) return fromManifest(manifestFile, manifest);
  }
  throw new GridctlError('NOT_FOUND', `no verified gridctl backup in ${dir}`, { hint: 'run `gridctl backup --dir ' + dir + '` first, or name a backup file' });
}

/** A file the operator named: an archive, a manifest, or an RDB file; its manifest is found beside it. */
export async function givenBackup(file: string): Promise<PickedBackup> {
  await stat(file).catch(() => {
    throw new GridctlError('USAGE', `${file} does not exist`, { hint: 'name a .gbk archive, a .manifest.json or an .rdb file' });
  });
  const manifestFile = manifestPathFor(file);
  const manifest = await readManifest(manifestFile);
  if (!manifest) return { file };
  return file.endsWith('.manifest.json') ? fromManifest(manifestFile, manifest) : { file, manifestFile, manifest };
}

function fromManifest(manifestFile: string, manifest: BackupManifest): PickedBackup {
  const archive = manifest.mode === 'logical' && manifest.files[0] ? path.join(path.dirname(manifestFile), manifest.files[0].name) : manifestFile;
  return { file: archive, manifestFile, manifest };
}
