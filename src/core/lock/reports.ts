import type { ExtendOutcome, ReleaseOutcome } from './backend.js';
import type { ForceReleaseReport } from './force-release.js';
import type { Coverage } from '../redis/coverage.js';

/** What `lock extend` prints. */
export interface ExtendReport extends ExtendOutcome {
  key: string;
  ttlMs: number;
  coverage: Coverage;
}

/** What `lock release` prints: a token release (single or Redlock) or a forced one. */
export type ReleaseReport = ((ReleaseOutcome & { key: string; mode: 'single' | 'redlock'; dryRun: boolean }) | (ForceReleaseReport & { force: true })) & { coverage: Coverage };
