import type { NamespaceConfig } from '../config/schema.js';
import { MemoryAggregator } from '../memory/aggregator.js';
import { loadBaseline } from '../memory/baseline.js';
import { keyspaceOverhead } from '../memory/estimate/key-memory.js';
import { createKeySampler } from '../memory/key-sampler.js';
import { buildMemoryReport, type ReportOptions } from '../memory/report.js';
import type { BackupSourceReport, MemoryReport } from '../memory/types.js';
import { globToRegExp } from '../restore/key-glob.js';
import { backupFiles } from './backup-files.js';
import { readBackupKeys, type BackupKey, type PartFacts } from './backup-keys.js';

export type AllocatorChoice = 'auto' | 'bundled' | 'system';

export interface FileMemoryOptions extends Omit<ReportOptions, 'samples'> {
  namespaces: readonly NamespaceConfig[];
  allocator: AllocatorChoice;
  keyMaterial?: Buffer;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * `gridctl memory --from FILE`: the live report's analysis over a backup instead of a server.
 * Each key's bytes are MEMORY USAGE's formula applied to what the file says of it, for both
 * jemalloc builds (8- and 16-byte small classes) at once; the build is then the one whose
 * implied used_memory is closest to what the server recorded in the RDB (or --allocator).
 */
export async function analyzeMemoryFromFile(file: string, opts: FileMemoryOptions): Promise<MemoryReport> {
  const started = performance.now();
  const baseline = opts.baseline ? await loadBaseline(opts.baseline) : undefined;
  const files = await backupFiles(file);
  const scan = new FileScan(opts);
  const parts = await readBackupKeys(files, (k) => scan.add(k), { ...(opts.keyMaterial ? { keyMaterial: opts.keyMaterial } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const estimate = chooseAllocator(opts.allocator, parts, scan);
  if (estimate.allocator === 'system') scan.aggregator.useAltBytes();
  const report = buildMemoryReport(
    scan.aggregator,
    { ...opts, samples: 0 },
    { topology: files.topology, source: 'backup', technique: 'file', nodes: [], scanned: scan.read, startedAt: started },
    baseline,
  );
  for (const ns of report.namespaces) {
    const extra = scan.extras.get(ns.name);
    if (!extra) continue;
    ns.encodings = extra.encodings;
    if (extra.fieldsWithTtl) ns.fieldsWithTtl = extra.fieldsWithTtl;
  }
  const backup: BackupSourceReport = { file, parts, expiredKeys: scan.expired, estimate };
  report.backup = backup;
  return report;
}

/** Per-key work of the file analysis: filters, the aggregator (both estimates), encodings. */
class FileScan {
  readonly aggregator: MemoryAggregator;
  readonly extras = new Map<string, { encodings: Record<string, number>; fieldsWithTtl: number }>();
  /** Every key read, the expired ones included: what the server held when it wrote the file. */
  read = 0;
  expired = 0;
  withExpiry = 0;
  readonly totalBytes = [0, 0];
  private readonly sampler: ((key: Buffer) => boolean) | undefined;
  private readonly match: RegExp | undefined;

  constructor(opts: FileMemoryOptions) {
    this.aggregator = new MemoryAggregator({ namespaces: opts.namespaces, prefixDepth: opts.prefixDepth, top: opts.top, bigKeyBytes: opts.bigKeyBytes, bigKeyElements: opts.bigKeyElements, sampleRatio: opts.sampleRatio });
    this.sampler = createKeySampler(opts.sampleRatio);
    this.match = opts.match ? globToRegExp(opts.match) : undefined;
  }

  add(k: BackupKey): void {
    this.read++;
    this.totalBytes[0]! += k.bytes[0]!;
    this.totalBytes[1]! += k.bytes[1]!;
    if (k.expireAt !== -1) this.withExpiry++;
    if (k.expired) {
      this.expired++;
      return;
    }
    if (this.match && !this.match.test(k.keyBytes.toString('latin1', 0, k.keyLength))) return;
    if (this.sampler && !this.sampler(k.keyBytes.subarray(0, k.keyLength))) return;
    const name = k.keyBytes.toString('utf8', 0, k.keyLength);
    const v = k.value;
    const match = this.aggregator.match(name);
    this.aggregator.addMatched(match, name, v.type, k.bytes[0]!, k.ttlMs, v.elements, k.bytes[1]!);
    let extra = this.extras.get(match.name);
    if (!extra) {
      extra = { encodings: {}, fieldsWithTtl: 0 };
      this.extras.set(match.name, extra);
    }
    extra.encodings[k.encoding] = (extra.encodings[k.encoding] ?? 0) + 1;
    extra.fieldsWithTtl += v.fieldsWithTtl;
  }
}

function chooseAllocator(choice: AllocatorChoice, parts: PartFacts[], scan: FileScan): BackupSourceReport['estimate'] {
  const known = parts.every((p) => p.usedMemory !== undefined);
  const usedMemory = known ? parts.reduce((s, p) => s + p.usedMemory!, 0) : undefined;
  const overhead = parts.length * keyspaceOverhead(scan.read / parts.length, scan.withExpiry / parts.length);
  const implied = { bundled: Math.round(scan.totalBytes[0]! + overhead), system: Math.round(scan.totalBytes[1]! + overhead) };
  const facts = usedMemory !== undefined ? { usedMemory, impliedUsedMemory: implied } : {};
  if (choice !== 'auto') return { allocator: choice, reason: `--allocator ${choice}`, ...facts };
  if (usedMemory === undefined) {
    return {
      allocator: 'bundled',
      reason: 'the backup does not record used_memory: the jemalloc Redis and Valkey bundle (official builds, container images) is assumed; --allocator system for distribution packages that link the system jemalloc',
    };
  }
  const allocator = Math.abs(implied.system - usedMemory) < Math.abs(implied.bundled - usedMemory) ? 'system' : 'bundled';
  return { allocator, reason: `closest to the used_memory the server recorded when it wrote the RDB (${usedMemory} bytes)`, usedMemory, impliedUsedMemory: implied };
}
