import type { Coverage } from '../redis/coverage.js';

/**
 * What acquiring, extending and releasing a lock needs, independent of where the lock lives: one
 * Redis deployment (single-lock.ts) or a Redlock quorum of independent masters (redlock.ts).
 * `lock acquire|extend|release` and `lock run` are written against this interface only.
 */
export interface InstanceOutcome {
  address: string;
  ok: boolean;
  /** released | mismatch | absent for release; the error message when the instance failed. */
  detail?: string;
}

export interface AcquireAttempt {
  acquired: boolean;
  /** How long the lock is certainly ours, from the moment the attempt started (ms). */
  validityMs: number;
  /** When not acquired: the token that holds it now (if it could be read). */
  holderToken?: string;
  /** Not acquired because too few instances answered (Redlock), rather than because someone holds it. */
  quorumUnreachable?: boolean;
  instances: InstanceOutcome[];
}

export interface ExtendOutcome {
  extended: boolean;
  validityMs: number;
  instances: InstanceOutcome[];
}

export interface ReleaseOutcome {
  released: boolean;
  /** absent: no such lock; mismatch: held by another token. */
  reason?: 'absent' | 'mismatch';
  instances: InstanceOutcome[];
}

export interface LockBackend {
  readonly key: string;
  /** Where the lock lives, for reports (a Redlock: its instances, complete when all answer). */
  coverage(): Promise<Coverage>;
  /** "single" or "redlock" (for reports). */
  readonly mode: 'single' | 'redlock';
  tryAcquire(token: string, ttlMs: number): Promise<AcquireAttempt>;
  extend(token: string, ttlMs: number): Promise<ExtendOutcome>;
  release(token: string): Promise<ReleaseOutcome>;
  close(): Promise<void>;
}
