import { GridctlError } from '../errors.js';
import type { Coverage } from '../redis/coverage.js';
import type { Deployment } from '../redis/deployment.js';
import { ArchiveReader } from '../backup/archive-reader.js';
import { forEachRecord } from '../backup/record-codec.js';
import { capYoungGeneration } from '../young-generation.js';
import { keyTypeName, type KeyType } from '../backup/archive-format.js';
import { readKeyFile } from '../backup/archive-crypto.js';
import { verifyArchive, type ArchiveVerifyReport } from '../backup/verify.js';
import { verifyBackupFile, type VerifiedBackup } from '../backup/verify-backup.js';
import { onCancel } from '../cancel.js';
import { assertCanLoad } from '../compat/can-load.js';
import { backupOrigin, rdbBackupOrigin } from '../compat/backup-origin.js';
import type { Engine } from '../compat/server-identity.js';
import { RestoreTarget } from './restore-target.js';
import { findConflicts, type ConflictReport } from './conflict-check.js';
import { NodeRestorer, type BatchOutcome, type ConflictMode, type MisroutedRecord } from './restore-writer.js';
import { Reservoir, checkSample, type SampleCheckReport } from './sample-check.js';
import { globToRegExp } from './key-glob.js';
import { stageRdbAsArchive } from './rdb-staging.js';
import { classifyBackupFailure } from '../backup/redis-failure.js';

/** Times the slot map is read again for records whose slot moved during the restore. */
const SLOT_MOVE_ROUNDS = 3;
/** On Ctrl-C / SIGTERM, how long the batches already sent get to report back. */
const INTERRUPT_SETTLE_MS = 5000;

async function settleWithin(waits: Array<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface RestoreOptions {
  file: string;
  onConflict: ConflictMode;
  dryRun: boolean;
  match?: string;
  encryptKeyFile?: string;
  sampleSize?: number;
  targetBatchMs?: number;
  /** RDB backups: keys in databases other than 0 are counted and left out instead of failing the run. */
  skipOtherDbs?: boolean;
  /** false (--no-check-rdb): RDB files are not put through redis-check-rdb (their CRC-64 still is). */
  checkRdb?: boolean;
  /** Asked when the target already holds keys; false cancels (exit 2). */
  confirmNonEmpty(targetKeys: number): Promise<boolean>;
  /** `restored`: keys written so far (exact once an interruption's clean-up waited for the batches in flight). */
  onProgress?(p: { phase: 'verify' | 'conflicts' | 'restore'; keys: number; total: number; restored: number }): void;
}

export interface RestoreReport {
  ok: boolean;
  dryRun: boolean;
  file: string;
  /** engine + serverVersion: the engine's own version (compat/server-identity.ts), Valkey as Valkey. */
  source: { topology: string; engine?: Engine; serverVersion: string; startedAt: string; endedAt: string; records: number };
  target: { topology: string; engine: Engine; serverVersion: string; masters: number; keysBefore: number; keysAfter: number };
  onConflict: ConflictMode;
  match?: string;
  selected: number;
  restored: number;
  skippedExisting: number;
  skippedExpired: number;
  failed: number;
  typeMismatches: number;
  /** Keys of an RDB backup in databases other than 0: not restored (gridctl restores database 0). */
  skippedOtherDbs: number;
  conflicts: ConflictReport;
  /** Per type: records selected from the archive vs keys restored and re-checked with TYPE on the target. */
  countsByType: Partial<Record<KeyType, { archive: number; restored: number; skipped: number; expired: number; failed: number }>>;
  sample: SampleCheckReport;
  errors: Array<{ key: string; message: string }>;
  durationMs: number;
  keysPerSecond: number;
  /** The masters written to, and whether they are the whole target deployment. */
  coverage: Coverage;
}

/**
 * Restore an archive: verify it completely first (a corrupt file -> exit 6 before any
 * connection writes), check the target can read the payloads' RDB version, find conflicts before
 * writing, ask before touching a non-empty target, then RESTORE ... ABSTTL in server-side
 * batches routed per node by slot, and finally compare counts per type and re-DUMP a sample.
 */
export async function runRestore(dep: Deployment, opts: RestoreOptions): Promise<RestoreReport> {
  const keyMaterial = opts.encryptKeyFile ? await readKeyFile(opts.encryptKeyFile) : undefined;
  opts.onProgress?.({ phase: 'verify', keys: 0, total: 0, restored: 0 });
  // The one verification `backup verify` runs, complete before the first write (verify-backup.ts).
  const verified = await verifyBackupFile(opts.file, { ...(keyMaterial ? { keyMaterial } : {}), checkRdb: opts.checkRdb !== false });
  if (verified.kind !== 'logical') return restoreRdbBackup(dep, opts, verified);
  return restoreArchive(dep, { ...opts, file: verified.file }, verified.archive, keyMaterial);
}

async function restoreArchive(dep: Deployment, opts: RestoreOptions, verified: ArchiveVerifyReport, keyMaterial: Buffer | undefined, otherDbKeys = 0): Promise<RestoreReport> {
  // A streaming job with a live set of a few MB, like the backup (young-generation.ts).
  const uncapYoung = capYoungGeneration(2);
  try {
    return await restore(dep, opts, verified, keyMaterial, otherDbKeys);
  } finally {
    uncapYoung();
  }
}

/**
 * An RDB backup (`backup --mode rdb` manifest or an RDB file), verified by verifyBackupFile, is turned
 * into a temporary archive (rdb-staging.ts) and restored like any archive; the report names the
 * original file. RDB backups are never encrypted, so a configured key file does not apply.
 */
async function restoreRdbBackup(dep: Deployment, opts: RestoreOptions, rdb: Exclude<VerifiedBackup, { kind: 'logical' }>): Promise<RestoreReport> {
  const started = Date.now();
  // The files' own RDB version against the target before a throwaway server loads them (the staged
  // archive's payloads are then checked again: they carry the throwaway server's version).
  const target = await RestoreTarget.open(dep);
  try {
    assertCanLoad(await rdbBackupOrigin(rdb), targetNodes(target));
  } finally {
    target.close();
  }
  const staged = await stageRdbAsArchive(rdb, { timeoutMs: dep.spec.timeoutMs });
  try {
    const report = await restoreArchive(dep, { ...opts, file: staged.file }, await verifyArchive(staged.file), undefined, staged.keysOutsideDb0);
    // The time includes loading and reading the RDB files, not only the restore of the archive.
    const durationMs = Date.now() - started;
    return {
      ...report,
      file: opts.file,
      durationMs,
      keysPerSecond: durationMs > 0 ? Math.round((report.selected * 1000) / durationMs) : report.selected,
      source: { ...report.source, topology: rdb.topology, ...(rdb.serverVersion ? { engine: rdb.engine ?? 'redis', serverVersion: rdb.serverVersion } : {}), startedAt: rdb.startedAt ?? report.source.startedAt },
    };
  } finally {
    await staged.cleanup();
  }
}

/** Every target master as the pre-flight sees it: its identity and address. */
function targetNodes(target: RestoreTarget) {
  return target.nodes.map((n) => ({ ...n.identity, address: n.address }));
}

async function restore(dep: Deployment, opts: RestoreOptions, verified: ArchiveVerifyReport, keyMaterial: Buffer | undefined, otherDbKeys: number): Promise<RestoreReport> {
  const started = Date.now();
  const matchRe = opts.match ? globToRegExp(opts.match) : undefined;
  const select = (key: Buffer) => !matchRe || matchRe.test(key.toString('latin1'));
  const target = await RestoreTarget.open(dep);
  try {
    const report = await restoreInto(target, () => RestoreTarget.open(dep), verified, keyMaterial, select, { ...opts, otherDbKeys }, started);
    return { ...report, coverage: await dep.coverage(target.nodes.map((n) => n.address)) };
  } catch (err) {
    throw classifyBackupFailure(err, dep.spec, target.nodes.map((n) => n.address).join(','), 'the restore user needs the ACL rule in `gridctl restore --help` (docs/restore.md)');
  } finally {
    target.close();
  }
}

async function restoreInto(
  target: RestoreTarget,
  reopenTarget: () => Promise<RestoreTarget>,
  verified: ArchiveVerifyReport,
  keyMaterial: Buffer | undefined,
  select: (key: Buffer) => boolean,
  opts: RestoreOptions & { otherDbKeys: number },
  started: number,
): Promise<Omit<RestoreReport, 'coverage'>> {
  {
    // Pre-flight, before any write: can every target node load the newest record's RDB version (compat/can-load.ts)?
    if (verified.records > 0) assertCanLoad(await backupOrigin(opts.file, verified.maxRdbVersion, verified.header), targetNodes(target));
    const oldest = target.nodes.reduce((a, n) => ((n.identity.rdbVersion ?? 11) < (a.identity.rdbVersion ?? 11) ? n : a));
    // Keys a restore cannot place (another database) fail it before any write, unless accepted.
    if (opts.otherDbKeys > 0 && !opts.skipOtherDbs && !opts.dryRun) {
      throw new GridctlError('OPERATION_FAILED', `${opts.otherDbKeys} key(s) of the backup are in databases other than 0, which gridctl does not restore; nothing was written`, {
        hint: 'pass --skip-other-dbs to restore database 0 and leave those out (they are counted in the report)',
        details: { otherDbKeys: opts.otherDbKeys },
      });
    }
    const keysBefore = await target.keyCount();
    let conflicts: ConflictReport = { count: 0, keys: [] };
    if (keysBefore > 0) {
      opts.onProgress?.({ phase: 'conflicts', keys: 0, total: verified.records, restored: 0 });
      conflicts = await findConflicts(opts.file, keyMaterial, target, (key) => select(key));
      if (conflicts.count > 0 && opts.onConflict === 'fail' && !opts.dryRun) {
        throw new GridctlError('OPERATION_FAILED', `${conflicts.count} key(s) of the backup already exist in the target; nothing was written: ${conflicts.keys.slice(0, 10).join(', ')}${conflicts.count > 10 ? ', ...' : ''}`, {
          hint: 'choose --on-conflict skip (keep the existing keys) or --on-conflict replace (overwrite them), or restore into an empty database',
          details: { conflicts: conflicts.count, keys: conflicts.keys },
        });
      }
    }
    const countsByType: RestoreReport['countsByType'] = {};
    const bucket = (t: number) => (countsByType[keyTypeName(t)] ??= { archive: 0, restored: 0, skipped: 0, expired: 0, failed: 0 });
    const report: Omit<RestoreReport, 'coverage'> = {
      ok: true,
      dryRun: opts.dryRun,
      file: opts.file,
      source: { topology: verified.header.topology, ...(verified.header.engine ? { engine: verified.header.engine } : {}), serverVersion: verified.header.serverVersion, startedAt: verified.header.startedAt, endedAt: verified.footer.endedAt, records: verified.records },
      target: { topology: target.topology, engine: oldest.identity.engine, serverVersion: oldest.identity.version, masters: target.nodes.length, keysBefore, keysAfter: keysBefore },
      onConflict: opts.onConflict,
      ...(opts.match ? { match: opts.match } : {}),
      selected: 0,
      restored: 0,
      skippedExisting: 0,
      skippedExpired: 0,
      failed: 0,
      typeMismatches: 0,
      skippedOtherDbs: opts.otherDbKeys,
      conflicts,
      countsByType,
      sample: { checked: 0, matched: 0, byteCompared: true, mismatched: [] },
      errors: opts.otherDbKeys > 0 ? [{ key: '*', message: `${opts.otherDbKeys} key(s) in databases other than 0 were not restored: gridctl restores database 0` }] : [],
      durationMs: 0,
      keysPerSecond: 0,
    };

    if (opts.dryRun) {
      const now = Date.now();
      const reader = await ArchiveReader.open(opts.file, keyMaterial ? { keyMaterial } : {});
      try {
        for await (const frame of reader.frames()) {
          forEachRecord(frame.raw, frame.firstRecord, (r) => {
            if (!select(r.key)) return;
            report.selected++;
            const b = bucket(r.type);
            b.archive++;
            if (r.expireAt >= 0 && r.expireAt <= now) {
              b.expired++;
              report.skippedExpired++;
            }
          });
        }
      } finally {
        await reader.close();
      }
      if (opts.onConflict === 'skip') report.skippedExisting = conflicts.count;
      report.ok = opts.otherDbKeys === 0 || Boolean(opts.skipOtherDbs);
      report.durationMs = Date.now() - started;
      return report;
    }

    if (keysBefore > 0 && !(await opts.confirmNonEmpty(keysBefore))) {
      throw new GridctlError('CANCELLED', `restore declined: the target already holds ${keysBefore} keys; nothing was written`);
    }

    const reservoir = new Reservoir(opts.sampleSize ?? 200);
    // Sampled records the restore did not write (kept existing key, expired, failed) are left out
    // of the sample check: only what this run restored must DUMP the same.
    const notRestored = new Set<number>();
    let seq = 0;
    /** Records a node refused because their slot moved during the restore: sent again after the pass. */
    const misrouted: MisroutedRecord[] = [];
    const onOutcome = (types: number[], outcome: BatchOutcome, tags: number[]) => {
      for (let i = 0; i < types.length; i++) {
        const status = outcome.statuses[i];
        if (status === 'm') continue; // counted when it is sent again (below)
        const b = bucket(types[i]!);
        if (tags[i]! >= 0 && status !== 'r') notRestored.add(tags[i]!);
        switch (status) {
          case 'r': b.restored++; report.restored++; break;
          case 's': b.skipped++; report.skippedExisting++; break;
          case 'e': b.expired++; report.skippedExpired++; break;
          case 't': b.failed++; report.typeMismatches++; break;
          default: b.failed++; report.failed++;
        }
      }
      misrouted.push(...outcome.misrouted);
      for (const e of outcome.errors) if (report.errors.length < 20) report.errors.push(e);
      opts.onProgress?.({ phase: 'restore', keys: report.restored + report.skippedExisting + report.skippedExpired, total: verified.records, restored: report.restored });
    };
    const writersFor = (t: RestoreTarget) => t.nodes.map((n) => new NodeRestorer(n.client, opts.onConflict, onOutcome, opts.targetBatchMs));
    const writers = writersFor(target);
    // Interrupted: send no more batches and wait (a bounded time) for those already sent, so the
    // count of keys written that the caller reports is exact (onProgress has seen every outcome).
    const removeCancel = onCancel(() => settleWithin(writers.map((w) => w.stop()), INTERRUPT_SETTLE_MS));
    const reader = await ArchiveReader.open(opts.file, keyMaterial ? { keyMaterial } : {});
    try {
      for await (const frame of reader.frames()) {
        const waits: Array<Promise<void>> = [];
        const raw = frame.raw;
        forEachRecord(raw, frame.firstRecord, (r) => {
          if (!select(r.key)) return;
          report.selected++;
          bucket(r.type).archive++;
          const slot = reservoir.slot();
          const tag = slot >= 0 ? seq++ : -1;
          if (slot >= 0) reservoir.items[slot] = { key: Buffer.from(r.key), type: r.type, expireAt: r.expireAt, payload: Buffer.from(r.payload), seq: tag };
          const wait = writers[target.nodeIndexFor(r.key)]!.add(raw, r.start, r.end, r.type, tag);
          if (wait) waits.push(wait);
        });
        await Promise.all(waits);
      }
      await Promise.all(writers.map((w) => w.drain()));
    } finally {
      removeCancel();
      await reader.close();
    }
    // A slot moved while the restore ran (resharding): read the slot map again and send the refused
    // records to their new owner, a few rounds at most; what still fails is counted as failed.
    let routing = target;
    try {
      for (let round = 0; misrouted.length && round < SLOT_MOVE_ROUNDS; round++) {
        const again = misrouted.splice(0);
        const fresh = await reopenTarget();
        if (routing !== target) routing.close();
        routing = fresh;
        const retryWriters = writersFor(routing);
        for (const m of again) await retryWriters[routing.nodeIndexFor(m.key)]!.add(m.raw, 0, m.raw.length, m.type, m.tag);
        await Promise.all(retryWriters.map((w) => w.drain()));
      }
      for (const m of misrouted.splice(0)) {
        bucket(m.type).failed++;
        report.failed++;
        if (m.tag >= 0) notRestored.add(m.tag);
        if (report.errors.length < 20) report.errors.push({ key: m.key.toString('latin1'), message: `its slot kept moving during the restore (${SLOT_MOVE_ROUNDS} rounds); run the restore again with --on-conflict skip` });
      }
      // In skip mode a key restored by this run and a pre-existing one are told apart by the script's status.
      if (opts.onConflict === 'fail' && report.skippedExisting > 0) {
        report.errors.unshift({ key: '*', message: `${report.skippedExisting} key(s) appeared in the target during the restore and were left as they were` });
      }
      // On the slot map the last writes used.
      report.sample = await checkSample(routing, reservoir.items.filter((item) => !notRestored.has(item.seq)));
      report.target.keysAfter = await routing.keyCount();
    } finally {
      if (routing !== target) routing.close();
    }
    report.ok = report.failed === 0 && report.typeMismatches === 0 && report.sample.mismatched.length === 0 && !(opts.onConflict === 'fail' && report.skippedExisting > 0);
    report.durationMs = Date.now() - started;
    report.keysPerSecond = report.durationMs > 0 ? Math.round((report.selected * 1000) / report.durationMs) : report.selected;
    return report;
  }
}
