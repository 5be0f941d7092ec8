import type { Deployment } from '../redis/deployment.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { openBackupSources, closeBackupSources, sourcesCoverage } from './backup-sources.js';
import type { Coverage } from '../redis/coverage.js';
import type { Engine } from '../compat/server-identity.js';

export interface BackupPlan {
  dryRun: true;
  dir: string;
  mode: 'logical' | 'rdb';
  sources: Array<{ address: string; role: 'master' | 'replica'; from: string; engine: Engine; serverVersion: string; keys: number }>;
  keys: number;
  coverage: Coverage;
}

/** --dry-run: which nodes a backup would read and how many keys they hold; nothing is written. */
export async function planBackup(
  spec: ConnectionSpec,
  openDeployment: () => Promise<Deployment>,
  opts: { dir: string; mode: 'logical' | 'rdb'; fromReplica: boolean },
): Promise<BackupPlan> {
  const sources = await openBackupSources(spec, openDeployment, opts.fromReplica);
  try {
    const counts = await Promise.all(sources.map((s) => s.keyCount()));
    return {
      dryRun: true,
      dir: opts.dir,
      mode: opts.mode,
      sources: sources.map((s, i) => ({ address: s.address, role: s.role, from: s.masterAddress, engine: s.identity.engine, serverVersion: s.serverVersion, keys: counts[i]! })),
      keys: counts.reduce((a, b) => a + b, 0),
      coverage: await sourcesCoverage(spec, openDeployment, sources, opts.fromReplica),
    };
  } finally {
    closeBackupSources(sources);
  }
}
