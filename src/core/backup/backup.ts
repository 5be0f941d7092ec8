import path from 'node:path';
import { GridctlError } from '../errors.js';
import { VERSION } from '../../version.js';
import type { Deployment } from '../redis/deployment.js';
import type { ConnectionSpec } from '../redis/spec.js';
import type { NamespaceConfig } from '../config/schema.js';
import { ArchiveWriter } from './archive-writer.js';
import { ARCHIVE_EXTENSION, type TypeCounts } from './archive-format.js';
import { countTypes } from './page-builder.js';
import { newFrameCipher, readKeyFile } from './archive-crypto.js';
import { NamespaceMatcher } from '../namespaces/matcher.js';
import { closeDumpConnections, dumpNode, openDumpConnections, type DumpConnections } from './logical-dumper.js';
import { openBackupSources, closeBackupSources, sourcesCoverage } from './backup-sources.js';
import type { Coverage } from '../redis/coverage.js';
import { leaveACpuToLocalRedis } from './leave-a-cpu.js';
import { acquireBackupLock, ensureBackupDir } from './backup-lock.js';
import { backupBaseName, manifestPathFor } from './backup-naming.js';
import { readBackArchive } from './archive-readback.js';
import { buildManifest, writeManifest } from './manifest.js';
import { applyRetention } from './retention.js';
import { classifyBackupFailure } from './redis-failure.js';
import { capYoungGeneration } from '../young-generation.js';
import type { Engine } from '../compat/server-identity.js';

export interface BackupOptions {
  dir: string;
  mode: 'logical' | 'rdb';
  keep?: number;
  encryptKeyFile?: string;
  fromReplica?: boolean;
  match?: string;
  maxRate?: number;
  targetBatchMs?: number;
  namespaces: readonly NamespaceConfig[];
  onProgress?(p: { keys: number; bytes: number; expectedKeys: number }): void;
  /** The clock, for tests. */
  now?: () => Date;
}

export interface BackupReport {
  ok: boolean;
  mode: 'logical' | 'rdb';
  file: string;
  manifest: string;
  topology: string;
  records: number;
  bytes: number;
  rawBytes: number;
  sha256: string;
  encrypted: boolean;
  durationMs: number;
  keysPerSecond: number;
  /**
   * Where the time went: SCAN+DUMP+write with every frame read back and checked as it is written
   * (until the archive is renamed), then the read-back of the whole file under its final name.
   */
  phases?: { dumpMs: number; verifyMs: number };
  countsByType: TypeCounts;
  countsByNamespace: Record<string, number>;
  masters: Array<{ address: string; role: 'master' | 'replica'; from: string; records: number; engine: Engine; serverVersion: string }>;
  verified: boolean;
  deleted: string[];
  /** The nodes read, and whether they hold the whole deployment. */
  coverage: Coverage;
}

/**
 * A logical backup of the whole deployment into one verified archive plus its manifest:
 * lock --dir, SCAN every source in parallel with the pipelined dump (logical-dumper.ts), stream the pages
 * into the archive (temp name, fsync, rename), verify the archive end to end, write the manifest,
 * and only then apply --keep.
 */
export async function runLogicalBackup(spec: ConnectionSpec, openDeployment: () => Promise<Deployment>, opts: BackupOptions): Promise<BackupReport> {
  // The dump's live set is a few MB; without a cap V8 lets new space grow to 32 MB (young-generation.ts).
  const uncapYoung = capYoungGeneration(YOUNG_SEMI_SPACE_MB);
  try {
    return await logicalBackup(spec, openDeployment, opts);
  } finally {
    uncapYoung();
  }
}

/** Per semi-space: 2 MB measured lowest peak RSS (docs/backup.md); the default grows to 16 MB. */
const YOUNG_SEMI_SPACE_MB = 2;

async function logicalBackup(spec: ConnectionSpec, openDeployment: () => Promise<Deployment>, opts: BackupOptions): Promise<BackupReport> {
  // Redis' main thread is the dump's bottleneck: on its own host, leave it a CPU (leave-a-cpu.ts).
  void leaveACpuToLocalRedis(spec);
  await ensureBackupDir(opts.dir);
  const lock = await acquireBackupLock(opts.dir);
  try {
    const keyMaterial = opts.encryptKeyFile ? await readKeyFile(opts.encryptKeyFile) : undefined;
    const sources = await openBackupSources(spec, openDeployment, Boolean(opts.fromReplica));
    try {
      const started = (opts.now ?? (() => new Date()))();
      const base = backupBaseName(started);
      const file = path.join(opts.dir, base + ARCHIVE_EXTENSION);
      const expectedKeys = (await Promise.all(sources.map((s) => s.keyCount()))).reduce((a, b) => a + b, 0);
      const writer = await ArchiveWriter.create(
        file,
        {
          gridctlVersion: VERSION,
          mode: 'logical',
          topology: spec.topology,
          engine: sources[0]!.identity.engine,
          serverVersion: sources[0]!.serverVersion,
          masters: sources.map((s) => ({ address: s.address, serverVersion: s.serverVersion, role: s.role })),
          startedAt: started.toISOString(),
        },
        keyMaterial ? newFrameCipher(keyMaterial) : undefined,
      );
      // Undeclared keys are grouped by their first segment (`foo:*`), as `gridctl memory` does.
      const matcher = new NamespaceMatcher(opts.namespaces, { prefixDepth: 1 });
      const countsByType: TypeCounts = {};
      const countsByNamespace: Record<string, number> = {};
      const perSource = new Map<string, number>();
      let keys = 0;
      let bytes = 0;
      const conns: DumpConnections[] = [];
      try {
        // Connections of their own per source carry the dump (logical-dumper.ts).
        for (const s of sources) conns.push(await openDumpConnections(spec, s.endpoint, { readOnly: s.role === 'replica' && spec.topology === 'cluster', name: 'gridctl-backup' }));
        await Promise.all(
          sources.map((s, i) =>
            dumpNode(conns[i]!, {
              serverVersion: s.serverVersion,
              ...(opts.match ? { match: opts.match } : {}),
              // --max-rate is for the whole deployment; share it between the sources.
              ...(opts.maxRate ? { maxRate: opts.maxRate / sources.length } : {}),
              ...(opts.targetBatchMs ? { targetBatchMs: opts.targetBatchMs } : {}),
              onPage: (page) => {
                countTypes(page, countsByType);
                for (let i = 0; i < page.count; i++) {
                  const ns = matcher.match(page.keyString(i)).name;
                  countsByNamespace[ns] = (countsByNamespace[ns] ?? 0) + 1;
                }
                perSource.set(s.address, (perSource.get(s.address) ?? 0) + page.count);
                keys += page.count;
                bytes += page.bytes;
                opts.onProgress?.({ keys, bytes, expectedKeys });
                return writer.appendWith(page.bytes, page.count, page.encodeInto);
              },
            }),
          ),
        );
      } catch (err) {
        await writer.abort();
        throw classifyBackupFailure(err, spec, sources.map((x) => x.address).join(','), 'the backup user needs the ACL rule in `gridctl backup --help` (docs/backup.md)');
      } finally {
        for (const c of conns) closeDumpConnections(c);
      }
      const written = await writer.finish(countsByType);
      const dumpMs = Date.now() - started.getTime();
      // Every frame was read back and checked record by record while the dump ran (archive-writer.ts);
      // now read back the whole file under its final name: a backup that cannot be read is not a backup.
      await readBackArchive(file, written);
      const verifyMs = Date.now() - started.getTime() - dumpMs;
      if (written.records !== keys) {
        throw new GridctlError('INTEGRITY', `${file} holds ${written.records} records but ${keys} were dumped`);
      }
      const endedAt = new Date();
      const durationMs = endedAt.getTime() - started.getTime();
      const masters = sources.map((s) => ({ address: s.address, role: s.role, from: s.masterAddress, records: perSource.get(s.address) ?? 0, engine: s.identity.engine, serverVersion: s.serverVersion }));
      const manifestFile = manifestPathFor(file);
      const manifest = buildManifest(
        { topology: spec.topology, sources, started, ended: endedAt },
        {
          mode: 'logical',
          encrypted: Boolean(keyMaterial),
          files: [{ name: path.basename(file), bytes: written.bytes, sha256: written.sha256 }],
          bytes: written.bytes,
          records: keys,
          countsByType,
          countsByNamespace,
          countsByMaster: Object.fromEntries(masters.map((m) => [m.from, { records: m.records, role: m.role, from: m.address }])),
        },
      );
      await writeManifest(manifestFile, manifest, [file]);
      const deleted = opts.keep ? await applyRetention(opts.dir, opts.keep, file) : [];
      return {
        ok: true,
        mode: 'logical',
        file,
        manifest: manifestFile,
        topology: spec.topology,
        records: keys,
        bytes: written.bytes,
        rawBytes: written.rawBytes,
        sha256: written.sha256,
        encrypted: Boolean(keyMaterial),
        durationMs,
        keysPerSecond: durationMs > 0 ? Math.round((keys * 1000) / durationMs) : keys,
        phases: { dumpMs, verifyMs },
        countsByType,
        countsByNamespace,
        masters,
        verified: true,
        deleted,
        coverage: await sourcesCoverage(spec, openDeployment, sources, Boolean(opts.fromReplica)),
      };
    } finally {
      closeBackupSources(sources);
    }
  } finally {
    await lock.release();
  }
}
