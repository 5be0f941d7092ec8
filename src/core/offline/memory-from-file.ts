import type { NamespaceConfig } from '../config/schema.js';
import { loadBaseline } from '../memory/baseline.js';
import { buildMemoryReport, type ReportOptions } from '../memory/report.js';
import type { BackupSourceReport, MemoryReport } from '../memory/types.js';
import { backupFiles } from './backup-files.js';
import { readBackupKeys } from './backup-keys.js';
import { chooseAllocator, type AllocatorChoice } from './allocator-choice.js';
import { FileScan } from './file-scan.js';
import { readKeyFile } from '../backup/archive-crypto.js';

export type { AllocatorChoice } from './allocator-choice.js';

export interface FileMemoryOptions extends Omit<ReportOptions, 'samples'> {
  namespaces: readonly NamespaceConfig[];
  allocator: AllocatorChoice;
  /** The key file of an encrypted logical backup (--encrypt-key-file). */
  encryptKeyFile?: string;
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
  const keyMaterial = opts.encryptKeyFile ? await readKeyFile(opts.encryptKeyFile) : undefined;
  const files = await backupFiles(file);
  const scan = new FileScan(opts);
  const parts = await readBackupKeys(files, (k) => scan.add(k), { ...(keyMaterial ? { keyMaterial } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const estimate = chooseAllocator(opts.allocator, [{ parts, scan }]);
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

