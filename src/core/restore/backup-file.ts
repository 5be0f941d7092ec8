import { open } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { readManifest } from '../backup/manifest.js';
import { verifyRdbBackup } from '../backup/rdb-backup.js';
import { checkRdbFile } from '../backup/rdb-check.js';
import type { ArchiveHeader } from '../backup/archive-format.js';

/** The RDB files of one backup, already verified, and what is known of where they came from. */
export interface RdbBackup {
  files: Array<{ file: string; master: string }>;
  topology: ArchiveHeader['topology'];
  serverVersion?: string;
  startedAt?: string;
}

export type BackupFile = { kind: 'archive'; file: string } | { kind: 'rdb'; backup: RdbBackup };

/**
 * What `restore FILE` was given: a .gbk archive (or the manifest beside one), or an RDB backup,
 * verified here: the manifest of `backup --mode rdb` (each file's size and SHA-256 against it, then
 * redis-check-rdb) or a bare RDB file (redis-check-rdb). Anything else is treated as an archive,
 * whose own verification then says what is wrong with it.
 */
export async function identifyBackupFile(file: string): Promise<BackupFile> {
  if (file.endsWith('.manifest.json')) {
    const m = await readManifest(file);
    if (m?.mode === 'logical' && m.files[0]) return { kind: 'archive', file: path.join(path.dirname(file), m.files[0].name) };
    if (m?.mode !== 'rdb') return { kind: 'archive', file };
    await verifyRdbBackup(file);
    const topology = (['standalone', 'sentinel', 'cluster'] as const).find((t) => t === m.topology) ?? 'standalone';
    return {
      kind: 'rdb',
      backup: {
        files: m.files.map((f) => ({ file: path.join(path.dirname(file), f.name), master: f.master ?? f.name })),
        topology,
        serverVersion: m.serverVersion,
        startedAt: m.startedAt,
      },
    };
  }
  if (!(await startsWithRdbMagic(file))) return { kind: 'archive', file };
  const check = await checkRdbFile(file);
  if (!check.ok) throw new GridctlError('INTEGRITY', `${file} does not check out (${check.tool}): ${check.message}`, { hint: 'use another backup (nothing was written to any server)' });
  return { kind: 'rdb', backup: { files: [{ file, master: path.basename(file) }], topology: 'standalone' } };
}

async function startsWithRdbMagic(file: string): Promise<boolean> {
  const h = await open(file, 'r').catch(() => undefined);
  if (!h) return false;
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await h.read(head, 0, 5, 0);
    return bytesRead === 5 && head.toString('latin1') === 'REDIS';
  } finally {
    await h.close();
  }
}
