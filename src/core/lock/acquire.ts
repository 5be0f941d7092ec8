import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GridctlError } from '../errors.js';
import { shortenToken } from './format.js';
import type { AcquireAttempt, InstanceOutcome, LockBackend } from './backend.js';
import type { Coverage } from '../redis/coverage.js';

/** What `lock acquire` prints: the token is the one thing the caller needs to extend or release. */
export interface AcquireReport {
  key: string;
  mode: 'single' | 'redlock';
  token: string;
  ttlMs: number;
  /** How long the lock is certainly held, counted from acquisition (Redlock subtracts elapsed time and drift). */
  validityMs: number;
  acquiredAt: string;
  attempts: number;
  instances: InstanceOutcome[];
  coverage: Coverage;
}

/** A new token in the gateway's format (UUIDv4), so `lock list` attributes it like the gateway's own. */
function newLockToken(): string {
  return randomUUID();
}

/**
 * Try to take the lock, retrying with a randomised back-off until `waitMs` is used up (0 = one
 * try). Randomised so that two waiters do not retry in lock-step. Throws LOCKED (exit 1) when it
 * stays held, UNREACHABLE (exit 5) when a Redlock quorum could not even be asked.
 */
export async function acquireWithWait(
  backend: LockBackend,
  opts: { ttlMs: number; waitMs: number; token?: string; retryDelayMs?: [number, number] },
): Promise<AcquireReport> {
  const token = opts.token ?? newLockToken();
  const deadline = Date.now() + opts.waitMs;
  const [minDelay, maxDelay] = opts.retryDelayMs ?? [50, 250];
  let attempts = 0;
  let last: AcquireAttempt;
  for (;;) {
    attempts++;
    last = await backend.tryAcquire(token, opts.ttlMs);
    if (last.acquired) {
      return { key: backend.key, mode: backend.mode, token, ttlMs: opts.ttlMs, validityMs: last.validityMs, acquiredAt: new Date().toISOString(), attempts, instances: last.instances, coverage: await backend.coverage() };
    }
    const delay = minDelay + Math.random() * (maxDelay - minDelay);
    if (Date.now() + delay > deadline) break;
    await sleep(delay);
  }
  const details = { key: backend.key, attempts, instances: last.instances, ...(last.holderToken ? { holderToken: last.holderToken } : {}) };
  if (last.quorumUnreachable) {
    const down = last.instances.filter((i) => !i.ok).map((i) => `${i.address} (${i.detail})`);
    throw new GridctlError('UNREACHABLE', `Redlock quorum not reached for ${backend.key}: ${last.instances.filter((i) => i.ok).length} of ${last.instances.length} masters granted it; unreachable: ${down.join(', ')}`, {
      hint: 'a majority of the --redlock masters must be up; nothing was left locked',
      details,
    });
  }
  const holder = last.holderToken ? ` by token ${shortenToken(last.holderToken)}` : '';
  throw new GridctlError('LOCKED', `${backend.key} is already locked${holder}${opts.waitMs ? ` (waited ${opts.waitMs} ms)` : ''}`, {
    hint: '`gridctl lock inspect` shows the holder and its TTL; pass --wait to wait for it',
    details,
  });
}
