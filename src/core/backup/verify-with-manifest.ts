import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { verifyArchive, type ArchiveVerifyReport } from './verify.js';
import { sha256File } from '../fs/sha256-file.js';
import { manifestPathFor } from './backup-naming.js';
import { readManifest } from './manifest.js';

/** verifyArchive, plus: when the manifest sits beside the archive, its size, SHA-256 and record count must agree. */
export async function verifyArchiveWithManifest(file: string, keyMaterial?: Buffer): Promise<ArchiveVerifyReport & { manifest?: string }> {
  const report = await verifyArchive(file, keyMaterial ? { keyMaterial } : {});
  const mf = manifestPathFor(file);
  const manifest = await stat(mf).then(() => readManifest(mf), () => undefined);
  if (!manifest) return report;
  const entry = manifest.files.find((f) => f.name === path.basename(file));
  if (entry) {
    if (entry.bytes !== report.bytes) throw new GridctlError('INTEGRITY', `${file} is ${report.bytes} bytes; its manifest says ${entry.bytes}`);
    if ((await sha256File(file)) !== entry.sha256) throw new GridctlError('INTEGRITY', `${file}: SHA-256 differs from its manifest`);
  }
  if (manifest.records !== report.records) throw new GridctlError('INTEGRITY', `${file} holds ${report.records} records; its manifest says ${manifest.records}`);
  return { ...report, manifest: mf };
}
