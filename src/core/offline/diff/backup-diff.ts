import { closest } from 'fastest-levenshtein';
import { GridctlError } from '../../errors.js';
import { readKeyFile } from '../../backup/archive-crypto.js';
import { chooseAllocator, type AllocatorChoice } from '../allocator-choice.js';
import type { BackupDiffReport, DiffSide, KeyChange, NamespaceDiff, NewBigKey } from './diff-types.js';
import { FingerprintTable, FLAG_BIG, FLAG_TTL } from './key-index.js';
import { scanSides } from './scan-sides.js';
import type { SideOptions, SideScan } from './side-scan.js';

export interface DiffOptions extends Omit<SideOptions, 'listNamespace' | 'nameLimit' | 'keyMaterial'> {
  allocator: AllocatorChoice;
  /** The key file of encrypted logical backups (--encrypt-key-file). */
  encryptKeyFile?: string;
  /** --keys NAMESPACE: list that namespace's changed keys. */
  keysOf?: string;
  /** At most this many changed keys listed (default 1000). */
  keyLimit?: number;
}

const NOTE = 'keys are matched by a 64-bit fingerprint of their name and database; "grown"/"shrunk" compare estimated sizes, so a value rewritten at the same size counts as unchanged';

/**
 * `gridctl backup diff A B`: two backups (RDB files or archives, either kind on either side)
 * compared by namespace: keys and bytes added, removed, grown and shrunk, TTL coverage, new big
 * keys, and with --keys the changed keys of one namespace. Both backups are read at once (in two
 * worker threads when the built CLI runs), then joined by key fingerprint in memory.
 */
export async function diffBackups(fileA: string, fileB: string, opts: DiffOptions): Promise<BackupDiffReport> {
  const started = performance.now();
  const limit = opts.keyLimit ?? 1000;
  const { encryptKeyFile, ...sideOptions } = opts;
  const keyMaterial = encryptKeyFile ? await readKeyFile(encryptKeyFile) : undefined;
  const side: SideOptions = { ...sideOptions, nameLimit: limit, ...(opts.keysOf ? { listNamespace: opts.keysOf } : {}), ...(keyMaterial ? { keyMaterial } : {}) };
  const [a, b] = await scanSides(fileA, fileB, side);
  const estimate = chooseAllocator(opts.allocator, [
    { parts: a.parts, scan: a },
    { parts: b.parts, scan: b },
  ]);
  const v = estimate.allocator === 'system' ? 1 : 0;
  const rows = namespaceRows(a, b, v);
  const tableA = new FingerprintTable(a.index);
  joinKeys(a, b, v, tableA, rows);
  const namespaces = [...rows.values()].sort((x, y) => Math.abs(y.bytesDelta) - Math.abs(x.bytesDelta) || (x.namespace < y.namespace ? -1 : 1));
  const report: BackupDiffReport = {
    generatedAt: new Date().toISOString(),
    before: describe(a, v),
    after: describe(b, v),
    estimate,
    totals: totalsOf(namespaces),
    namespaces,
    newBigKeys: newBigKeys(a, b, v, tableA),
    note: NOTE,
    durationMs: 0,
  };
  if (opts.keysOf) report.keys = changedKeys(opts.keysOf, a, b, v, tableA, limit);
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

function describe(s: SideScan, v: number): DiffSide {
  const stats = s.stats[v]!;
  return { file: s.file, parts: s.parts, keys: stats.reduce((n, x) => n + x.keys, 0), bytes: stats.reduce((n, x) => n + x.bytes, 0), expiredKeys: s.expired };
}

function namespaceRows(a: SideScan, b: SideScan, v: number): Map<string, NamespaceDiff> {
  const rows = new Map<string, NamespaceDiff>();
  const row = (name: string): NamespaceDiff => {
    let r = rows.get(name);
    if (!r) {
      r = { namespace: name, declared: false, keysBefore: 0, keysAfter: 0, added: 0, removed: 0, grown: 0, shrunk: 0, unchanged: 0, bytesBefore: 0, bytesAfter: 0, bytesDelta: 0, bytesAdded: 0, bytesRemoved: 0, bytesGrown: 0, bytesShrunk: 0, ttlCoverageBefore: 0, ttlCoverageAfter: 0 };
      rows.set(name, r);
    }
    return r;
  };
  for (const [stats, before] of [[a.stats[v]!, true], [b.stats[v]!, false]] as const) {
    for (const ns of stats) {
      const r = row(ns.name);
      r.declared ||= ns.declared;
      if (ns.kind) r.kind = ns.kind;
      if (before) {
        r.keysBefore = ns.keys;
        r.bytesBefore = ns.bytes;
        r.ttlCoverageBefore = ns.ttl.coverage;
      } else {
        r.keysAfter = ns.keys;
        r.bytesAfter = ns.bytes;
        r.ttlCoverageAfter = ns.ttl.coverage;
      }
    }
  }
  for (const r of rows.values()) r.bytesDelta = r.bytesAfter - r.bytesBefore;
  return rows;
}

/** Every key of B looked up in A: added, grown, shrunk, unchanged; A's keys never found: removed. */
function joinKeys(a: SideScan, b: SideScan, v: number, tableA: FingerprintTable, rows: Map<string, NamespaceDiff>): void {
  const seen = new Uint8Array(a.index.count);
  const ia = a.index;
  const ib = b.index;
  const rowsB = b.namespaceNames.map((n) => rows.get(n)!);
  const rowsA = a.namespaceNames.map((n) => rows.get(n)!);
  const bytesA = ia.bytes[v as 0 | 1];
  const bytesB = ib.bytes[v as 0 | 1];
  for (let i = 0; i < ib.count; i++) {
    const r = rowsB[ib.ns[i]!]!;
    const j = tableA.find(ib.hashLo[i]!, ib.hashHi[i]!);
    if (j < 0) {
      r.added++;
      r.bytesAdded += bytesB[i]!;
      continue;
    }
    seen[j] = 1;
    const d = bytesB[i]! - bytesA[j]!;
    if (d > 0) {
      r.grown++;
      r.bytesGrown += d;
    } else if (d < 0) {
      r.shrunk++;
      r.bytesShrunk -= d;
    } else r.unchanged++;
  }
  for (let j = 0; j < ia.count; j++) {
    if (seen[j]) continue;
    const r = rowsA[ia.ns[j]!]!;
    r.removed++;
    r.bytesRemoved += bytesA[j]!;
  }
}

function totalsOf(rows: NamespaceDiff[]): BackupDiffReport['totals'] {
  const t: BackupDiffReport['totals'] = { keysBefore: 0, keysAfter: 0, added: 0, removed: 0, grown: 0, shrunk: 0, unchanged: 0, bytesBefore: 0, bytesAfter: 0, bytesDelta: 0, bytesAdded: 0, bytesRemoved: 0, bytesGrown: 0, bytesShrunk: 0, ttlCoverageBefore: 0, ttlCoverageAfter: 0 };
  let ttlBefore = 0;
  let ttlAfter = 0;
  for (const r of rows) {
    for (const k of ['keysBefore', 'keysAfter', 'added', 'removed', 'grown', 'shrunk', 'unchanged', 'bytesBefore', 'bytesAfter', 'bytesDelta', 'bytesAdded', 'bytesRemoved', 'bytesGrown', 'bytesShrunk'] as const) t[k] += r[k];
    ttlBefore += r.ttlCoverageBefore * r.keysBefore;
    ttlAfter += r.ttlCoverageAfter * r.keysAfter;
  }
  t.ttlCoverageBefore = t.keysBefore ? ttlBefore / t.keysBefore : 0;
  t.ttlCoverageAfter = t.keysAfter ? ttlAfter / t.keysAfter : 0;
  return t;
}

function newBigKeys(a: SideScan, b: SideScan, v: number, tableA: FingerprintTable): NewBigKey[] {
  const out: NewBigKey[] = [];
  for (const k of b.bigKeys) {
    const j = tableA.find(k.lo, k.hi);
    if (j >= 0 && a.index.flags[j]! & FLAG_BIG) continue;
    out.push({ key: k.key, namespace: b.namespaceNames[k.ns]!, type: k.type, bytes: k.bytes[v]!, elements: k.elements, bytesBefore: j >= 0 ? a.index.bytes[v as 0 | 1][j]! : null });
  }
  return out.sort((x, y) => y.bytes - x.bytes || (x.key < y.key ? -1 : 1));
}

function changedKeys(namespace: string, a: SideScan, b: SideScan, v: number, tableA: FingerprintTable, limit: number): NonNullable<BackupDiffReport['keys']> {
  const known = new Set([...a.namespaceNames, ...b.namespaceNames]);
  if (!known.has(namespace)) {
    const names = [...known];
    throw new GridctlError('USAGE', `--keys ${namespace}: no such namespace in either backup`, {
      hint: names.length ? `namespaces are named as the report shows them, e.g. ${JSON.stringify(closest(namespace, names))}` : 'both backups are empty',
    });
  }
  const tableB = new FingerprintTable(b.index);
  const changes: KeyChange[] = [];
  const ttl = (flags: number) => (flags & FLAG_TTL) !== 0;
  for (const k of b.listed) {
    const j = tableA.find(k.lo, k.hi);
    const after = k.bytes[v]!;
    if (j < 0) {
      changes.push({ key: k.key, change: 'added', type: k.type, bytesBefore: null, bytesAfter: after });
      continue;
    }
    const before = a.index.bytes[v as 0 | 1][j]!;
    const i = tableB.find(k.lo, k.hi);
    const ttlBefore = ttl(a.index.flags[j]!);
    const ttlAfter = i >= 0 && ttl(b.index.flags[i]!);
    const change = after > before ? 'grown' : after < before ? 'shrunk' : ttlAfter && !ttlBefore ? 'ttl-added' : ttlBefore && !ttlAfter ? 'ttl-removed' : undefined;
    if (change) changes.push({ key: k.key, change, type: k.type, bytesBefore: before, bytesAfter: after });
  }
  for (const k of a.listed) {
    if (tableB.find(k.lo, k.hi) < 0) changes.push({ key: k.key, change: 'removed', type: k.type, bytesBefore: k.bytes[v]!, bytesAfter: null });
  }
  const delta = (c: KeyChange) => Math.abs((c.bytesAfter ?? 0) - (c.bytesBefore ?? 0));
  changes.sort((x, y) => delta(y) - delta(x) || (x.key < y.key ? -1 : 1));
  return { namespace, changes: changes.slice(0, limit), truncated: changes.length > limit || a.listedTruncated || b.listedTruncated };
}
