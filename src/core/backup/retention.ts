import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { stampOf } from './backup-naming.js';

/**
 * --keep N: keep the N newest backups in dir (by the timestamp in their names) and delete the
 * files of older ones: archives, RDB files and manifests. Only names gridctl itself writes are
 * touched; called only after the new backup has been verified.
 */
export async function applyRetention(dir: string, keep: number, protect: string): Promise<string[]> {
  const names = await readdir(dir);
  const stamps = [...new Set(names.map(stampOf).filter((s): s is string => s !== undefined))].sort().reverse();
  const protectStamp = stampOf(path.basename(protect));
  const keepSet = new Set(stamps.slice(0, Math.max(1, keep)));
  if (protectStamp) keepSet.add(protectStamp);
  const deleted: string[] = [];
  for (const name of names) {
    const s = stampOf(name);
    if (!s || keepSet.has(s)) continue;
    await unlink(path.join(dir, name));
    deleted.push(path.join(dir, name));
  }
  return deleted.sort();
}
