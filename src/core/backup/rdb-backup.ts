import { mkdir, open, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { VERSION } from '../../version.js';
import type { Deployment } from '../redis/deployment.js';
import { chooseBackupNodes, connectBackupSources, closeBackupSources, type BackupSource } from './backup-sources.js';
import { acquireBackupLock } from './backup-lock.js';
import { backupBaseName, manifestPathFor } from './backup-naming.js';
import { fetchRdb } from './rdb-fetch.js';
import { checkRdbFile, startStreamCheck, type RdbCheckResult } from './rdb-check.js';
import { readManifest, writeManifest, type BackupManifest } from './manifest.js';
import { applyRetention } from './retention.js';
import { sha256File } from './verify.js';
import type { BackupReport } from './backup.js';

export interface RdbBackupOptions {
  dir: string;
  keep?: number | undefined;
  fromReplica?: boolean;
  onProgress?(p: { keys: number; bytes: number; expectedKeys: number }): void;
}

/** File-name-safe form of host:port. */
function nodeTag(address: string): string {
  return address.replace(/[^A-Za-z0-9.-]+/g, '_');
}

/**
 * --mode rdb: every master's (or replica's) RDB fetched in parallel over the replication protocol,
 * one file per master, each checked (redis-check-rdb when present), then a manifest and --keep.
 */
export async function runRdbBackup(dep: Deployment, opts: RdbBackupOptions): Promise<BackupReport> {
  await mkdir(opts.dir, { recursive: true });
  const lock = await acquireBackupLock(opts.dir);
  try {
    const picks = await chooseBackupNodes(dep, Boolean(opts.fromReplica));
    const started = new Date();
    const base = backupBaseName(started);
    // The transfers start first: the fork and the RDB's serialisation are most of the time, so
    // nothing waits in front of them. The connections for versions and key counts (and the
    // checkers) start alongside.
    const sourcesReady = connectBackupSources(dep, picks).then(async (sources) => ({ sources, keyCounts: await Promise.all(sources.map((s) => s.client.dbsize())) }));
    sourcesReady.catch(() => undefined);
    let bytes = 0;
    let sources: BackupSource[] = [];
    try {
      const fetched = await Promise.all(
        picks.map(async ({ node, master }) => {
          const file = path.join(opts.dir, `${base}.${nodeTag(master.address)}.rdb`);
          const refuse = (check: RdbCheckResult) =>
            new GridctlError('INTEGRITY', `the RDB fetched from ${node.address} does not check out (${check.tool}): ${check.message}`, { details: { file } });
          // redis-check-rdb reads the RDB while it arrives (fed the bytes written to the file), so
          // the check costs no time after the transfer; its verdict comes before the rename: a
          // file that does not check out is removed, never left under the final name.
          const checker = startStreamCheck();
          checker.catch(() => undefined);
          let check: RdbCheckResult | undefined;
          let r;
          try {
            r = await fetchRdb(dep.spec, node, file, {
              onData: async (chunk) => (await checker)?.write(chunk),
              beforeRename: async () => {
                // Nothing is renamed into place unless the rest of the backup can be completed too.
                await sourcesReady;
                const c = await checker;
                if (!c) return;
                check = await c.end();
                if (!check.ok) throw refuse(check);
              },
            });
          } catch (err) {
            await (await checker.catch(() => undefined))?.abort();
            throw err;
          }
          bytes += r.bytes;
          opts.onProgress?.({ keys: 0, bytes, expectedKeys: 0 });
          if (check) {
            // What redis-check-rdb checked is what was written: the file under its final name is read
            // back and must have the same length and CRC-32 (SHA-256 again would cost ~0.5 s per 160 MB).
            const onDisk = await crc32File(file);
            if (onDisk.crc !== r.crc32 || onDisk.bytes !== r.bytes) {
              throw new GridctlError('INTEGRITY', `${file}: read back after the rename, it differs from the bytes received and checked (${onDisk.bytes} bytes, CRC-32 ${onDisk.crc.toString(16)}; expected ${r.bytes}, ${r.crc32.toString(16)})`, { details: { file } });
            }
          } else {
            check = await checkRdbFile(file); // redis-check-rdb not on PATH: structural check
            if (!check.ok) throw refuse(check);
          }
          return r;
        }),
      );
      const ready = await sourcesReady;
      sources = ready.sources;
      const keyCounts = ready.keyCounts;
      const endedAt = new Date();
      const records = keyCounts.reduce((a, b) => a + b, 0);
      const manifestFile = manifestPathFor(path.join(opts.dir, base));
      const manifest: BackupManifest = {
        kind: 'gridctl-backup-manifest',
        manifestVersion: 1,
        mode: 'rdb',
        gridctlVersion: VERSION,
        topology: dep.spec.topology,
        serverVersion: sources[0]!.serverVersion,
        startedAt: started.toISOString(),
        endedAt: endedAt.toISOString(),
        durationMs: endedAt.getTime() - started.getTime(),
        encrypted: false,
        files: fetched.map((f, i) => ({ name: path.basename(f.file), bytes: f.bytes, sha256: f.sha256, master: picks[i]!.master.address })),
        bytes,
        records,
        countsByType: {},
        countsByNamespace: {},
        countsByMaster: Object.fromEntries(sources.map((s, i) => [s.masterAddress, { records: keyCounts[i]!, role: s.role, from: s.address }])),
        verified: true,
      };
      await writeManifest(manifestFile, manifest);
      const deleted = opts.keep ? await applyRetention(opts.dir, opts.keep, manifestFile) : [];
      const durationMs = manifest.durationMs;
      return {
        ok: true,
        mode: 'rdb',
        file: fetched.length === 1 ? fetched[0]!.file : opts.dir,
        manifest: manifestFile,
        topology: dep.spec.topology,
        records,
        bytes,
        rawBytes: bytes,
        sha256: fetched.length === 1 ? fetched[0]!.sha256 : '',
        encrypted: false,
        durationMs,
        keysPerSecond: durationMs > 0 ? Math.round((records * 1000) / durationMs) : records,
        countsByType: {},
        countsByNamespace: {},
        masters: sources.map((s, i) => ({ address: s.address, role: s.role, from: s.masterAddress, records: keyCounts[i]!, serverVersion: s.serverVersion })),
        verified: true,
        deleted,
      };
    } finally {
      // Also when a transfer failed: the connections may still be opening.
      closeBackupSources(sources.length ? sources : await sourcesReady.then((r) => r.sources, () => []));
    }
  } finally {
    await lock.release();
  }
}

/** Length and CRC-32 of a file, read through one reused buffer (no garbage per chunk). */
async function crc32File(file: string): Promise<{ bytes: number; crc: number }> {
  const h = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    let crc = 0;
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await h.read(buf, 0, buf.length, bytes);
      if (bytesRead === 0) return { bytes, crc };
      crc = crc32(buf.subarray(0, bytesRead), crc);
      bytes += bytesRead;
    }
  } finally {
    await h.close();
  }
}

export interface RdbVerifyReport {
  file: string;
  ok: true;
  mode: 'rdb';
  files: Array<{ name: string; bytes: number; sha256: string; check: RdbCheckResult }>;
}

/** `backup verify` on an RDB-mode manifest: every file's size and SHA-256, then redis-check-rdb. */
export async function verifyRdbBackup(manifestFile: string): Promise<RdbVerifyReport> {
  const m = await readManifest(manifestFile);
  if (!m || m.mode !== 'rdb') throw new GridctlError('INTEGRITY', `${manifestFile} is not an RDB backup manifest`);
  const files: RdbVerifyReport['files'] = [];
  for (const f of m.files) {
    const p = path.join(path.dirname(manifestFile), f.name);
    const size = await stat(p).then((s) => s.size, () => -1);
    if (size < 0) throw new GridctlError('INTEGRITY', `${f.name} listed in the manifest is missing`);
    if (size !== f.bytes) throw new GridctlError('INTEGRITY', `${f.name} is ${size} bytes; the manifest says ${f.bytes} (truncated or replaced)`);
    const sha = await sha256File(p);
    if (sha !== f.sha256) throw new GridctlError('INTEGRITY', `${f.name}: SHA-256 mismatch with the manifest (the file was modified)`);
    const check = await checkRdbFile(p);
    if (!check.ok) throw new GridctlError('INTEGRITY', `${f.name}: ${check.tool}: ${check.message}`);
    files.push({ name: f.name, bytes: size, sha256: sha, check });
  }
  return { file: manifestFile, ok: true, mode: 'rdb', files };
}
