import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { VERSION } from '../../version.js';
import { onCancel } from '../cancel.js';
import { ArchiveWriter } from '../backup/archive-writer.js';
import type { TypeCounts } from '../backup/archive-format.js';
import type { VerifiedBackup } from '../backup/verify-backup.js';
import { countTypes } from '../backup/page-builder.js';
import { closeDumpConnections, dumpNode, openDumpConnections } from '../backup/logical-dumper.js';
import { startThrowawayServer } from '../local/throwaway-server.js';

/**
 * Every key of an RDB backup as one logical archive in a private temporary directory, so the RDB
 * goes through the same restore as an archive (version check, conflicts before any write, slot
 * routing, sample check). Each RDB file is loaded into a throwaway local redis-server in turn (it
 * needs memory for that file's dataset) and read with the backup's pipelined dump.
 */
export async function stageRdbAsArchive(backup: Exclude<VerifiedBackup, { kind: 'logical' }>, opts: { timeoutMs: number }): Promise<{ file: string; serverVersion: string; keysOutsideDb0: number; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-restore-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const removeCancel = onCancel(cleanup);
  const file = path.join(dir, 'from-rdb.gbk');
  let writer: ArchiveWriter | undefined;
  let serverVersion = '0.0.0';
  // Database 0 is what gridctl backs up and restores (a Cluster has no other); the rest is counted, not read.
  let keysOutsideDb0 = 0;
  try {
    const countsByType: TypeCounts = {};
    for (const { file: rdb, master } of backup.files) {
      const server = await startThrowawayServer(rdb, { timeoutMs: opts.timeoutMs });
      try {
        serverVersion = server.serverVersion;
        for (const [db, n] of Object.entries(server.keysPerDb)) if (db !== '0') keysOutsideDb0 += n;
        writer ??= await ArchiveWriter.create(file, {
          gridctlVersion: VERSION,
          mode: 'logical',
          topology: backup.topology,
          engine: server.engine,
          serverVersion: server.serverVersion,
          masters: backup.files.map((f) => ({ address: f.master, serverVersion: backup.serverVersion ?? server.serverVersion, role: 'master' as const })),
          startedAt: backup.startedAt ?? new Date().toISOString(),
        });
        const w = writer;
        const conns = await openDumpConnections(server.spec, server.spec.nodes[0]!);
        try {
          await dumpNode(conns, {
            serverVersion: server.serverVersion,
            onPage: (page) => {
              countTypes(page, countsByType);
              return w.appendWith(page.bytes, page.count, page.encodeInto);
            },
          });
        } finally {
          closeDumpConnections(conns);
        }
      } catch (err) {
        if (err instanceof GridctlError) throw err;
        throw new GridctlError('OPERATION_FAILED', `reading ${rdb} (from ${master}) through a local redis-server failed: ${(err as Error).message}`, { cause: err });
      } finally {
        await server.stop();
      }
    }
    if (!writer) throw new GridctlError('INTEGRITY', 'the RDB backup lists no files');
    await writer.finish(countsByType);
    return { file, serverVersion, keysOutsideDb0, cleanup: async () => (removeCancel(), await cleanup()) };
  } catch (err) {
    await writer?.abort();
    removeCancel();
    await cleanup();
    throw err;
  }
}
