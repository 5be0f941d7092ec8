import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { ARCHIVE_MAGIC } from '../backup/archive-format.js';
import { readManifest } from '../backup/manifest.js';

/** One file of a backup and how to read it. */
export interface BackupPart {
  file: string;
  kind: 'rdb' | 'gbk';
  bytes: number;
  /** The master it came from, when a manifest says. */
  master?: string;
}

export interface BackupFiles {
  /** What was named on the command line. */
  given: string;
  parts: BackupPart[];
  topology: 'standalone' | 'sentinel' | 'cluster';
  /** From a manifest, when there is one. */
  serverVersion?: string;
  startedAt?: string;
}

/**
 * What a FILE argument is, by its content: an RDB (REDIS / VALKEY signature: `backup --mode rdb`,
 * `redis-cli --rdb`, a server's dump.rdb), a gridctl archive (GRDCTLBK), or a backup manifest
 * naming either (an RDB-mode manifest names one RDB per master). Nothing is verified here: the
 * readers check every byte as they go.
 */
export async function backupFiles(given: string): Promise<BackupFiles> {
  const file = path.resolve(given);
  const head = await readHead(file, given);
  if (head.startsWith('REDIS') || head.startsWith('VALKEY')) return { given, parts: [await part(file, 'rdb')], topology: 'standalone' };
  if (head.startsWith(ARCHIVE_MAGIC.toString('latin1'))) return { given, parts: [await part(file, 'gbk')], topology: 'standalone' };
  if (head.trimStart().startsWith('{')) {
    const m = await readManifest(file);
    if (!m) throw new GridctlError('USAGE', `${given} is JSON but not a gridctl backup manifest`, { hint: 'pass an .rdb file, a .gbk archive or the .manifest.json beside one' });
    const dir = path.dirname(file);
    const parts: BackupPart[] = [];
    for (const f of m.files) parts.push({ ...(await part(path.join(dir, f.name), m.mode === 'rdb' ? 'rdb' : 'gbk')), ...(f.master ? { master: f.master } : {}) });
    const topology = (['standalone', 'sentinel', 'cluster'] as const).find((t) => t === m.topology) ?? 'standalone';
    return { given, parts, topology, serverVersion: m.serverVersion, startedAt: m.startedAt };
  }
  throw new GridctlError('INTEGRITY', `${given} is neither an RDB file nor a gridctl backup (it starts with ${JSON.stringify(head.slice(0, 9).replace(/[^\x20-\x7e]/g, '.'))})`, {
    hint: 'pass an .rdb file (backup --mode rdb, redis-cli --rdb, dump.rdb), a .gbk archive or a .manifest.json',
    details: { offset: 0 },
  });
}

async function readHead(file: string, given: string): Promise<string> {
  let h;
  try {
    h = await open(file, 'r');
  } catch (err) {
    throw new GridctlError('USAGE', `cannot open ${given}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'check the path', cause: err });
  }
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await h.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await h.close();
  }
}

async function part(file: string, kind: 'rdb' | 'gbk'): Promise<BackupPart> {
  try {
    return { file, kind, bytes: (await stat(file)).size };
  } catch (err) {
    throw new GridctlError('INTEGRITY', `${file}, listed in the manifest, is missing`, { hint: 'the backup is incomplete; use another one', cause: err });
  }
}
