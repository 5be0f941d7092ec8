import { stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import type { Deployment } from '../redis/deployment.js';
import { endpointLabel } from '../redis/endpoint.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { chooseBackupNodes, closeBackupSources, connectBackupSources, connectDirectSource, readsNodeDirectly, sourcesCoverage, type BackupSource } from './backup-sources.js';
import { acquireBackupLock, ensureBackupDir } from './backup-lock.js';
import { leaveACpuToLocalRedis } from './leave-a-cpu.js';
import { backupBaseName, manifestPathFor } from './backup-naming.js';
import { fetchRdb } from './rdb-fetch.js';
import { checkRdbFile, startStreamCheck, type RdbCheckResult } from './rdb-check.js';
import { buildManifest, writeManifest } from './manifest.js';
import { applyRetention } from './retention.js';
import type { BackupReport } from './backup.js';

export interface RdbBackupOptions {
  dir: string;
  keep?: number | undefined;
  fromReplica?: boolean;
  /** Bytes received over all transfers and how many have finished: at the start, about every MiB, and as each one ends. */
  onTransfer?(p: { bytes: number; done: number; transfers: number }): void;
}

/** Bytes received between two progress reports: ~160 reports for a 160 MB RDB, not one per read. */
const PROGRESS_STEP_BYTES = 1 << 20;

/** A function that runs `fn` the first time it is called and returns that same promise after. */
function once<T>(fn: () => Promise<T>): { (): Promise<T>; started: boolean } {
  let p: Promise<T> | undefined;
  const call = Object.assign(
    () => {
      if (!p) {
        call.started = true;
        p = fn();
      }
      return p;
    },
    { started: false },
  );
  return call;
}

/**
 * The one cancel path of a backup's parallel transfers: the first to fail aborts the others (each
 * removes its temp file and its redis-check-rdb pipe), all of them are waited for, the files of
 * those already renamed are removed, and the first failure is what is reported. Without this the
 * other masters' transfers ran on after the command failed, leaving their temp files behind.
 */
async function allOrNone<T extends { file: string }>(jobs: Array<(signal: AbortSignal) => Promise<T>>): Promise<T[]> {
  const group = new AbortController();
  let first: { err: unknown } | undefined;
  const settled = await Promise.allSettled(
    jobs.map((job) =>
      job(group.signal).catch((err: unknown) => {
        if (!first) {
          first = { err };
          group.abort();
        }
        throw err;
      }),
    ),
  );
  if (!first) return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
  await Promise.all(settled.map((r) => (r.status === 'fulfilled' ? unlink(r.value.file).catch(() => undefined) : undefined)));
  throw first.err;
}

/** File-name-safe form of host:port. */
function nodeTag(address: string): string {
  return address.replace(/[^A-Za-z0-9.-]+/g, '_');
}

/**
 * --mode rdb: every master's (or replica's) RDB fetched in parallel over the replication protocol,
 * one file per master, each checked (redis-check-rdb when present), then a manifest and --keep.
 * `openDeployment` is called when the deployment is needed, and may be called more than once (the
 * caller keeps one and closes it): a standalone node read directly is named by the spec itself,
 * so its transfer starts first and the connection, discovery and key count follow its SYNC.
 */
export async function runRdbBackup(spec: ConnectionSpec, openDeployment: () => Promise<Deployment>, opts: RdbBackupOptions): Promise<BackupReport> {
  // Redis' forked child is the transfer's critical path: on its own host, leave it a CPU that
  // neither gridctl nor redis-check-rdb (which inherits the affinity) runs on (leave-a-cpu.ts).
  const cpusLeft = leaveACpuToLocalRedis(spec);
  await ensureBackupDir(opts.dir);
  const lock = await acquireBackupLock(opts.dir);
  // A standalone node read directly is named by the spec: no discovery, no Deployment (ioredis).
  const direct = readsNodeDirectly(spec, Boolean(opts.fromReplica));
  const picks = once(async () => chooseBackupNodes(await openDeployment(), Boolean(opts.fromReplica)));
  const sourcesReady = once(async () => {
    const sources = direct ? [await connectDirectSource(spec)] : await connectBackupSources(spec, await picks());
    return { sources, keyCounts: await Promise.all(sources.map((s) => s.keyCount())) };
  });
  try {
    const started = new Date();
    const base = backupBaseName(started);
    // The transfers start first: the fork and the RDB's serialisation are most of the time, so
    // nothing waits in front of them. The connections for versions and key counts (and the
    // checkers) start alongside.
    const transfers = direct ? [{ node: spec.nodes[0]!, tag: endpointLabel(spec.nodes[0]!) }] : (await picks()).map((p) => ({ node: p.node, tag: p.master.address }));
    if (!direct) void sourcesReady().catch(() => undefined);
    let bytes = 0;
    const received = transfers.map(() => 0);
    let done = 0;
    let reportedAt = -Infinity;
    const report = (force = false) => {
      const total = received.reduce((a, b) => a + b, 0);
      if (!force && total - reportedAt < PROGRESS_STEP_BYTES) return;
      reportedAt = total;
      opts.onTransfer?.({ bytes: total, done, transfers: transfers.length });
    };
    report(true);
    let sources: BackupSource[] = [];
    try {
      const fetched = await allOrNone(
        transfers.map(({ node, tag }, index) => async (signal: AbortSignal) => {
          const file = path.join(opts.dir, `${base}.${nodeTag(tag)}.rdb`);
          const address = endpointLabel(node);
          const refuse = (check: RdbCheckResult) =>
            new GridctlError('INTEGRITY', `the RDB fetched from ${address} does not check out (${check.tool}): ${check.message}`, { details: { file } });
          // redis-check-rdb reads the RDB while it arrives (fed the bytes written to the file), so
          // the check costs no time after the transfer; its verdict comes before the rename: a
          // file that does not check out is removed, never left under the final name. It starts
          // once SYNC has gone out (two process spawns are not worth delaying the fork for).
          const checker = once(async () => {
            await cpusLeft; // redis-check-rdb inherits the CPUs gridctl runs on
            return startStreamCheck();
          });
          let check: RdbCheckResult | undefined;
          let r;
          try {
            r = await fetchRdb(spec, node, file, {
              signal,
              onBytes: (n) => {
                received[index] = n;
                report();
              },
              onSyncSent: () => {
                void sourcesReady().catch(() => undefined);
                void checker().catch(() => undefined);
              },
              onData: async (batch) => (await checker())?.write(batch),
              beforeRename: async () => {
                // Nothing is renamed into place unless the rest of the backup can be completed too.
                await sourcesReady();
                const c = await checker();
                if (!c) return;
                check = await c.end();
                if (!check.ok) throw refuse(check);
              },
            });
          } catch (err) {
            if (checker.started) await (await checker().catch(() => undefined))?.abort();
            throw err;
          }
          bytes += r.bytes;
          done++;
          report(true);
          // What redis-check-rdb checked is what was written: the same chunks went to both, in
          // order, and the file under its final name must hold exactly that many bytes.
          try {
            const onDisk = (await stat(file)).size;
            if (onDisk !== r.bytes) {
              throw new GridctlError('INTEGRITY', `${file}: ${onDisk} bytes after the rename; ${r.bytes} were received and checked`, { details: { file } });
            }
            if (!check) {
              check = await checkRdbFile(file); // no streaming checker (mkfifo or redis-check-rdb missing)
              if (!check.ok) throw refuse(check);
            }
          } catch (err) {
            await unlink(file).catch(() => undefined);
            throw err;
          }
          return r;
        }),
      );
      const ready = await sourcesReady();
      sources = ready.sources;
      const keyCounts = ready.keyCounts;
      const endedAt = new Date();
      const records = keyCounts.reduce((a, b) => a + b, 0);
      const manifestFile = manifestPathFor(path.join(opts.dir, base));
      const manifest = buildManifest(
        { topology: spec.topology, sources, started, ended: endedAt },
        {
          mode: 'rdb',
          encrypted: false,
          files: fetched.map((f, i) => ({ name: path.basename(f.file), bytes: f.bytes, sha256: f.sha256, master: sources[i]!.masterAddress })),
          bytes,
          records,
          countsByType: {},
          countsByNamespace: {},
          countsByMaster: Object.fromEntries(sources.map((s, i) => [s.masterAddress, { records: keyCounts[i]!, role: s.role, from: s.address }])),
        },
      );
      await writeManifest(manifestFile, manifest, fetched.map((f) => f.file));
      const deleted = opts.keep ? await applyRetention(opts.dir, opts.keep, manifestFile) : [];
      const durationMs = manifest.durationMs;
      return {
        ok: true,
        mode: 'rdb',
        file: fetched.length === 1 ? fetched[0]!.file : opts.dir,
        manifest: manifestFile,
        topology: spec.topology,
        records,
        bytes,
        rawBytes: bytes,
        sha256: fetched.length === 1 ? fetched[0]!.sha256 : '',
        encrypted: false,
        durationMs,
        keysPerSecond: durationMs > 0 ? Math.round((records * 1000) / durationMs) : records,
        countsByType: {},
        countsByNamespace: {},
        masters: sources.map((s, i) => ({ address: s.address, role: s.role, from: s.masterAddress, records: keyCounts[i]!, engine: s.identity.engine, serverVersion: s.serverVersion })),
        verified: true,
        deleted,
        coverage: await sourcesCoverage(spec, openDeployment, sources, Boolean(opts.fromReplica)),
      };
    } finally {
      // Also when a transfer failed: the connections may still be opening.
      const opened = sources.length ? sources : sourcesReady.started ? await sourcesReady().then((r) => r.sources, () => []) : [];
      closeBackupSources(opened);
    }
  } finally {
    await lock.release();
  }
}
