import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { sha256File } from '../fs/sha256-file.js';
import { verifyArchive, type ArchiveVerifyReport } from './verify.js';
import { manifestPathFor, stampOf, BACKUP_PREFIX } from './backup-naming.js';
import type { BackupManifest } from './manifest.js';
import { runRedisCheckRdb, trailerResult, type RdbCheckResult } from './rdb-check.js';
import { checkRdbTrailer } from './rdb-trailer.js';
import type { ArchiveHeader } from './archive-format.js';
import type { Engine } from '../compat/server-identity.js';

export interface VerifiedRdbFile {
  file: string;
  name: string;
  bytes: number;
  sha256: string;
  /** The master it was fetched from (manifest), else the file's name. */
  master: string;
  /** gridctl's own check (header, CRC-64, nothing after it). */
  crc: RdbCheckResult;
  /** The verdict: redis-check-rdb's when it ran, else the CRC-64 check's. */
  check: RdbCheckResult;
}

export type VerifiedBackup =
  | { kind: 'logical'; file: string; manifest?: string; archive: ArchiveVerifyReport }
  | {
      kind: 'rdb-backup' | 'rdb-file';
      file: string;
      manifest?: string;
      files: VerifiedRdbFile[];
      topology: ArchiveHeader['topology'];
      /** The manifest's source engine (absent in older manifests and for a bare RDB file). */
      engine?: Engine;
      serverVersion?: string;
      startedAt?: string;
    };

export interface VerifyOptions {
  keyMaterial?: Buffer;
  /** false (--no-check-rdb): RDB files get gridctl's CRC-64 check only, not redis-check-rdb's. */
  checkRdb?: boolean;
}

/**
 * The one verification of a backup, run by `backup verify` and, before anything is written, by
 * `restore`: a .gbk archive, an RDB file, or the manifest of either. A manifest's entries must name
 * files in its own folder; every file a manifest lists (or the manifest beside a file given
 * directly) must have the size and SHA-256 it records. An archive is then checked frame by frame
 * and payload by payload (verify.ts), an RDB by its own CRC-64 and, unless --no-check-rdb, by
 * redis-check-rdb. Throws INTEGRITY (exit 6) or USAGE (exit 3: not a file, missing).
 */
export async function verifyBackupFile(file: string, opts: VerifyOptions = {}): Promise<VerifiedBackup> {
  await mustBeAFile(file);
  if (file.endsWith('.manifest.json')) return verifyFromManifest(file, await readManifestStrict(file), opts);
  const beside = await manifestBeside(file);
  const entry = beside ? entryFor(beside, file) : undefined;
  if (entry) await matchSize(file, entry.entry);
  if (await startsWith(file, 'REDIS')) {
    if (entry) await matchSha(file, entry.entry);
    if (beside && beside.manifest.mode !== 'rdb') throw integrity(`${file} is an RDB file, but its manifest ${beside.file} describes a logical backup: the file was replaced`);
    const rdb = await verifyRdbFile(file, entry?.entry.master ?? path.basename(file), opts);
    if (beside?.manifest.mode === 'rdb') return { kind: 'rdb-backup', ...rdbBackupFields(beside.file, beside.manifest), file, files: [rdb] };
    return { kind: 'rdb-file', file, files: [rdb], topology: 'standalone' };
  }
  if (beside?.manifest.mode === 'rdb') throw integrity(`${file} is not an RDB file, but its manifest ${beside.file} describes an RDB backup: the file was replaced`);
  const archive = await verifyArchive(file, opts.keyMaterial ? { keyMaterial: opts.keyMaterial } : {});
  if (beside) checkArchiveAgainst(beside.file, beside.manifest, archive, entry!.entry);
  return { kind: 'logical', file, ...(beside ? { manifest: beside.file } : {}), archive };
}

async function verifyFromManifest(manifestFile: string, m: BackupManifest, opts: VerifyOptions): Promise<VerifiedBackup> {
  const files = m.files.map((f) => ({ entry: f, file: entryPath(manifestFile, f.name) }));
  if (m.mode === 'logical') {
    if (files.length !== 1) throw integrity(`${manifestFile} lists ${files.length} files; a logical backup has one archive`);
    const { file, entry } = files[0]!;
    await matchSize(file, entry);
    const archive = await verifyArchive(file, opts.keyMaterial ? { keyMaterial: opts.keyMaterial } : {});
    checkArchiveAgainst(manifestFile, m, archive, entry);
    return { kind: 'logical', file, manifest: manifestFile, archive };
  }
  if (!files.length) throw integrity(`${manifestFile} lists no files`);
  const verified: VerifiedRdbFile[] = [];
  for (const { file, entry } of files) {
    await matchSize(file, entry);
    await matchSha(file, entry);
    verified.push(await verifyRdbFile(file, entry.master ?? entry.name, opts));
  }
  return { kind: 'rdb-backup', file: manifestFile, ...rdbBackupFields(manifestFile, m), files: verified };
}

function rdbBackupFields(manifestFile: string, m: BackupManifest) {
  const topology = (['standalone', 'sentinel', 'cluster'] as const).find((t) => t === m.topology) ?? 'standalone';
  return { manifest: manifestFile, topology, ...(m.source ? { engine: m.source.engine } : {}), serverVersion: m.serverVersion, startedAt: m.startedAt };
}

/** A manifest entry is a file name in the manifest's own folder, never a path leading out of it. */
function entryPath(manifestFile: string, name: unknown): string {
  if (typeof name !== 'string' || !name || name !== path.basename(name) || name === '.' || name === '..' || name.includes('\\')) {
    throw integrity(`${manifestFile} lists ${JSON.stringify(name)}, which is not a file in the backup's folder: a manifest names only files beside it`);
  }
  return path.join(path.dirname(manifestFile), name);
}

type ManifestEntry = BackupManifest['files'][number];

/** The file must have the size its manifest entry recorded. */
async function matchSize(file: string, entry: ManifestEntry): Promise<void> {
  const size = await stat(file).then((s) => s.size, () => -1);
  if (size < 0) throw integrity(`${entry.name}, listed in its manifest, is missing`);
  if (size !== entry.bytes) throw integrity(`${file} is ${size} bytes; its manifest says ${entry.bytes} (truncated, appended to or replaced)`);
}

function matchShaValue(file: string, entry: ManifestEntry, sha256: string): void {
  if (sha256 !== entry.sha256) throw integrity(`${file}: SHA-256 differs from its manifest (the file was modified or replaced)`);
}

async function matchSha(file: string, entry: ManifestEntry): Promise<void> {
  matchShaValue(file, entry, await sha256File(file));
}

/** An archive's SHA-256 comes from its verification's own read (verify.ts): no second pass. */
function checkArchiveAgainst(manifestFile: string, m: BackupManifest, archive: ArchiveVerifyReport, entry: ManifestEntry): void {
  matchShaValue(archive.file, entry, archive.sha256);
  if (m.records !== archive.records) throw integrity(`${archive.file} holds ${archive.records} records; its manifest says ${m.records}`);
}

async function verifyRdbFile(file: string, master: string, opts: VerifyOptions): Promise<VerifiedRdbFile> {
  const crc = trailerResult(await checkRdbTrailer(file));
  if (!crc.ok) throw integrity(`${file} does not check out (CRC-64): ${crc.message}`);
  let check = crc;
  if (opts.checkRdb !== false) {
    const r = await runRedisCheckRdb(file);
    // A checker older than the file gives no verdict: the intact CRC-64 stands, saying why.
    if (r?.tooNew) check = { ...crc, message: `${crc.message} (${r.reason}: the checker on PATH is older than the file)` };
    else if (r && !r.ok) {
      const who = `redis-check-rdb${r.version ? ` ${r.version}` : ''}`;
      throw new GridctlError('INTEGRITY', `${file} does not check out (${who}): ${r.message}`, {
        hint: `its own CRC-64 is intact; ${who} may be older than the server that wrote it, or reject what a server skips on load (empty keys). To rely on the CRC-64 check and the loading server instead, pass --no-check-rdb`,
        details: { checker: who, crc: crc.message },
      });
    }
    else if (r) check = { tool: r.tool, ok: r.ok, message: r.message, ...(r.version ? { version: r.version } : {}) };
  }
  const { size } = await stat(file);
  return { file, name: path.basename(file), bytes: size, sha256: await sha256File(file), master, crc, check };
}

/** The manifest of the backup a file belongs to, when one lies beside it. */
async function manifestBeside(file: string): Promise<{ file: string; manifest: BackupManifest } | undefined> {
  const stamp = stampOf(path.basename(file));
  const candidates = [...new Set([manifestPathFor(file), ...(stamp ? [path.join(path.dirname(file), `${BACKUP_PREFIX}${stamp}.manifest.json`)] : [])])];
  for (const c of candidates) {
    if (c === file || !(await stat(c).then((s) => s.isFile(), () => false))) continue;
    return { file: c, manifest: await readManifestStrict(c) };
  }
  return undefined;
}

function entryFor(beside: { file: string; manifest: BackupManifest }, file: string) {
  const entry = beside.manifest.files.find((f) => f.name === path.basename(file));
  if (!entry) throw integrity(`${beside.file} does not list ${path.basename(file)}: the file does not belong to that backup`);
  entryPath(beside.file, entry.name);
  return { entry };
}

async function readManifestStrict(file: string): Promise<BackupManifest> {
  let m: BackupManifest;
  try {
    m = JSON.parse(await readFile(file, 'utf8')) as BackupManifest;
  } catch (err) {
    throw integrity(`${file} is not a gridctl backup manifest: ${(err as Error).message}`);
  }
  if (m?.kind !== 'gridctl-backup-manifest' || !Array.isArray(m.files) || (m.mode !== 'logical' && m.mode !== 'rdb')) throw integrity(`${file} is not a gridctl backup manifest`);
  return m;
}

/** A backup is a file: a folder or a missing path is a usage error naming what to give instead. */
async function mustBeAFile(file: string): Promise<void> {
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new GridctlError('USAGE', `cannot open backup ${file}: ${err.code ?? err.message}`, { cause: err });
  });
  if (st.isFile()) return;
  if (!st.isDirectory()) throw new GridctlError('USAGE', `${file} is not a regular file`, { hint: 'give a .gbk archive, an .rdb file or a .manifest.json' });
  const newest = (await readdir(file).catch(() => [] as string[])).filter((n) => n.endsWith('.manifest.json')).sort().at(-1);
  throw new GridctlError('USAGE', `${file} is a folder, not a backup`, {
    hint: newest ? `give one backup in it, e.g. ${path.join(file, newest)}` : 'give a .gbk archive, an .rdb file or a .manifest.json',
  });
}

async function startsWith(file: string, magic: string): Promise<boolean> {
  const h = await open(file, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    const { bytesRead } = await h.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.toString('latin1') === magic;
  } finally {
    await h.close();
  }
}

function integrity(message: string): GridctlError {
  return new GridctlError('INTEGRITY', message, { hint: 'use another backup (nothing was written to any server)' });
}

/** What `backup verify` prints: which kind of backup it read, and what each check found. */
export type BackupVerifyReport =
  | ({ ok: true; kind: 'logical'; manifest?: string } & ArchiveVerifyReport)
  | { ok: true; kind: 'rdb-backup' | 'rdb-file'; mode: 'rdb'; file: string; manifest?: string; files: Array<Omit<VerifiedRdbFile, 'file'>> };

export function backupVerifyReport(v: VerifiedBackup): BackupVerifyReport {
  if (v.kind === 'logical') return { ...v.archive, ok: true, kind: 'logical', ...(v.manifest ? { manifest: v.manifest } : {}) };
  return { ok: true, kind: v.kind, mode: 'rdb', file: v.file, ...(v.manifest ? { manifest: v.manifest } : {}), files: v.files.map(({ file: _path, ...f }) => f) };
}
