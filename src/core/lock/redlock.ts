import type { Redis } from 'ioredis';
import { connectNode } from '../redis/connect.js';
import type { ConnectionSpec } from '../redis/spec.js';
import type { Coverage } from '../redis/coverage.js';
import type { AcquireAttempt, ExtendOutcome, InstanceOutcome, LockBackend, ReleaseOutcome } from './backend.js';
import { EXTEND_SCRIPT, RELEASE_SCRIPT } from './scripts.js';

/**
 * Redlock (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/) over N independent
 * masters: the lock is held when a majority (N/2+1) accepted SET NX PX, and only for the validity
 * time = ttl - time spent acquiring - clock drift. A failed attempt is undone on every instance,
 * and release runs on every instance, including ones that said no (a SET may have landed after
 * its reply was lost).
 */
interface Instance {
  address: string;
  client?: Redis;
  error?: string;
}

/** Clock drift allowance: 1% of the TTL plus 2 ms for timer granularity (the algorithm's figure). */
export function redlockDriftMs(ttlMs: number): number {
  return Math.floor(ttlMs * 0.01) + 2;
}

export function redlockQuorum(instances: number): number {
  return Math.floor(instances / 2) + 1;
}

export class RedlockLock implements LockBackend {
  readonly mode = 'redlock' as const;

  private constructor(
    readonly key: string,
    private readonly instances: Instance[],
  ) {}

  /**
   * Connect to every master in parallel. An instance that cannot be reached is kept as "down"
   * (it counts against the quorum) instead of failing the whole operation: that is the point of Redlock.
   */
  static async open(key: string, specs: Array<{ address: string; spec: ConnectionSpec }>): Promise<RedlockLock> {
    const instances = await Promise.all(
      specs.map(async ({ address, spec }): Promise<Instance> => {
        try {
          return { address, client: await connectNode(spec, spec.nodes[0]!) };
        } catch (err) {
          return { address, error: (err as Error).message };
        }
      }),
    );
    return new RedlockLock(key, instances);
  }

  get quorum(): number {
    return redlockQuorum(this.instances.length);
  }

  private async onEach<T>(fn: (client: Redis) => Promise<T>): Promise<Array<{ address: string; value?: T; error?: string }>> {
    return Promise.all(
      this.instances.map(async (inst) => {
        if (!inst.client) return { address: inst.address, error: inst.error ?? 'not connected' };
        try {
          return { address: inst.address, value: await fn(inst.client) };
        } catch (err) {
          return { address: inst.address, error: (err as Error).message };
        }
      }),
    );
  }

  async tryAcquire(token: string, ttlMs: number): Promise<AcquireAttempt> {
    const started = Date.now();
    const replies = await this.onEach((c) => c.set(this.key, token, 'PX', ttlMs, 'NX'));
    const validityMs = ttlMs - (Date.now() - started) - redlockDriftMs(ttlMs);
    const instances: InstanceOutcome[] = replies.map((r) =>
      r.error !== undefined ? { address: r.address, ok: false, detail: r.error } : { address: r.address, ok: r.value === 'OK', detail: r.value === 'OK' ? 'acquired' : 'held' },
    );
    const granted = instances.filter((i) => i.ok).length;
    if (granted >= this.quorum && validityMs > 0) return { acquired: true, validityMs, instances };
    await this.release(token);
    const errors = replies.filter((r) => r.error !== undefined).length;
    const attempt: AcquireAttempt = { acquired: false, validityMs: 0, instances };
    // Not even a majority answered: the outcome is "unreachable", not "someone else holds it".
    if (this.instances.length - errors < this.quorum) attempt.quorumUnreachable = true;
    const holder = (await this.onEach((c) => c.get(this.key))).find((r) => r.value && r.value !== token)?.value;
    if (holder) attempt.holderToken = holder;
    return attempt;
  }

  async extend(token: string, ttlMs: number): Promise<ExtendOutcome> {
    const started = Date.now();
    const replies = await this.onEach((c) => c.eval(EXTEND_SCRIPT, 1, this.key, token, ttlMs) as Promise<number>);
    const validityMs = ttlMs - (Date.now() - started) - redlockDriftMs(ttlMs);
    const instances = replies.map((r) => ({ address: r.address, ok: Number(r.value) === 1, ...(r.error !== undefined ? { detail: r.error } : {}) }));
    const extended = instances.filter((i) => i.ok).length >= this.quorum && validityMs > 0;
    return { extended, validityMs: extended ? validityMs : 0, instances };
  }

  async release(token: string): Promise<ReleaseOutcome> {
    const replies = await this.onEach((c) => c.eval(RELEASE_SCRIPT, 1, this.key, token) as Promise<number>);
    const instances: InstanceOutcome[] = replies.map((r) => {
      if (r.error !== undefined) return { address: r.address, ok: false, detail: r.error };
      const v = Number(r.value);
      return { address: r.address, ok: v === 1, detail: v === 1 ? 'released' : v === -1 ? 'absent' : 'mismatch' };
    });
    const released = instances.some((i) => i.ok);
    const out: ReleaseOutcome = { released, instances };
    if (!released) out.reason = instances.some((i) => i.detail === 'mismatch') ? 'mismatch' : 'absent';
    return out;
  }

  /** Independent masters, each standalone: complete when every instance is connected. */
  async coverage(): Promise<Coverage> {
    const down = this.instances.filter((i) => !i.client).map((i) => i.address);
    return {
      topology: 'standalone',
      scope: 'deployment',
      nodes: this.instances.filter((i) => i.client).map((i) => i.address),
      complete: down.length === 0,
      gaps: down.length ? [`Redlock instance(s) unreachable: ${down.join(', ')}`] : [],
      excluded: [],
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.client?.quit().catch(() => i.client?.disconnect())));
  }
}
