import { keyspaceOverhead } from '../memory/estimate/key-memory.js';
import type { BackupSourceReport } from '../memory/types.js';
import type { PartFacts } from './backup-keys.js';
import type { FileScan } from './file-scan.js';

export type AllocatorChoice = 'auto' | 'bundled' | 'system';

/** What one backup contributes to the choice: its files' facts and what was read from them. */
export interface AllocatorEvidence {
  parts: PartFacts[];
  scan: Pick<FileScan, 'read' | 'withExpiry' | 'totalBytes'>;
}

/**
 * Which jemalloc build the estimate is for: --allocator, or the one whose implied used_memory
 * (every key's estimate plus the keyspace's own tables) is closest to what the servers recorded
 * in their RDB files. A backup that records none (an archive) gets the bundled build.
 */
export function chooseAllocator(choice: AllocatorChoice, evidence: AllocatorEvidence[]): BackupSourceReport['estimate'] {
  let usedMemory = 0;
  let known = true;
  const implied = { bundled: 0, system: 0 };
  for (const { parts, scan } of evidence) {
    const overhead = parts.length * keyspaceOverhead(scan.read / parts.length, scan.withExpiry / parts.length);
    implied.bundled += Math.round(scan.totalBytes[0]! + overhead);
    implied.system += Math.round(scan.totalBytes[1]! + overhead);
    for (const p of parts) {
      if (p.usedMemory === undefined) known = false;
      else usedMemory += p.usedMemory;
    }
  }
  const facts = known ? { usedMemory, impliedUsedMemory: implied } : {};
  if (choice !== 'auto') return { allocator: choice, reason: `--allocator ${choice}`, ...facts };
  if (!known) {
    return {
      allocator: 'bundled',
      reason: 'the backup does not record used_memory: the jemalloc Redis and Valkey bundle (official builds, container images) is assumed; --allocator system for distribution packages that link the system jemalloc',
    };
  }
  const allocator = Math.abs(implied.system - usedMemory) < Math.abs(implied.bundled - usedMemory) ? 'system' : 'bundled';
  return { allocator, reason: `closest to the used_memory the server recorded when it wrote the RDB (${usedMemory} bytes)`, usedMemory, impliedUsedMemory: implied };
}
