import type { Deployment } from '../redis/deployment.js';
import type { MemoryHooks } from './analyze.js';
import type { FileMemoryOptions } from '../offline/memory-from-file.js';
import type { MemoryOptions, MemoryReport } from './types.js';

export type MemoryOfSource =
  | { source: 'live'; openDeployment: () => Promise<Deployment>; options: MemoryOptions; hooks: MemoryHooks }
  | { source: 'file'; file: string; options: FileMemoryOptions };

/**
 * One memory report, of a live deployment or of a backup (--from). Each source's implementation is
 * loaded only when it runs, so `memory --from` never loads ioredis and a live run never loads the
 * RDB parser.
 */
export async function runMemoryOfSource(memory: MemoryOfSource): Promise<MemoryReport> {
  if (memory.source === 'file') {
    const { analyzeMemoryFromFile } = await import('../offline/memory-from-file.js');
    return analyzeMemoryFromFile(memory.file, memory.options);
  }
  const { analyzeMemory } = await import('./analyze.js');
  const deployment = await memory.openDeployment();
  try {
    return await analyzeMemory(deployment, memory.options, memory.hooks);
  } finally {
    await deployment.close();
  }
}
