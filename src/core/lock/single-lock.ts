import { Deployment } from '../redis/deployment.js';
import { classifyRedisError } from '../redis/errors.js';
import { errorContext } from '../redis/connect.js';
import type { AcquireAttempt, ExtendOutcome, LockBackend, ReleaseOutcome } from './backend.js';
import { EXTEND_SCRIPT, RELEASE_SCRIPT } from './scripts.js';
import type { Coverage } from '../redis/coverage.js';

/**
 * A lock in one deployment (standalone, the Sentinel master, or the Cluster node owning the key's
 * slot): SET key token NX PX ttl to acquire, the compare-and-* scripts to extend and release.
 */
export class SingleInstanceLock implements LockBackend {
  readonly mode = 'single' as const;
  private dep: Deployment;

  constructor(dep: Deployment, readonly key: string) {
    this.dep = dep;
  }

  private get address(): string {
    return this.dep.spec.source;
  }

  /**
   * gridctl's connections fail fast and never reconnect; a `lock run` lasting hours must survive a
   * dropped connection, so a closed client is replaced before the next command.
   */
  private async client() {
    if (this.dep.client.status === 'end' || this.dep.client.status === 'close') {
      this.dep.client.disconnect();
      this.dep = await Deployment.open(this.dep.spec);
    }
    return this.dep.client;
  }

  private fail(err: unknown): never {
    throw classifyRedisError(err, errorContext(this.dep.spec, this.address));
  }

  async tryAcquire(token: string, ttlMs: number): Promise<AcquireAttempt> {
    const started = Date.now();
    try {
      const client = await this.client();
      const reply = await client.set(this.key, token, 'PX', ttlMs, 'NX');
      if (reply === 'OK') {
        return { acquired: true, validityMs: ttlMs - (Date.now() - started), instances: [{ address: this.address, ok: true }] };
      }
      const holder = await client.type(this.key).then((t) => (t === 'string' ? client.get(this.key) : null));
      const attempt: AcquireAttempt = { acquired: false, validityMs: 0, instances: [{ address: this.address, ok: false, detail: 'held' }] };
      if (holder) attempt.holderToken = holder;
      return attempt;
    } catch (err) {
      this.fail(err);
    }
  }

  async extend(token: string, ttlMs: number): Promise<ExtendOutcome> {
    const started = Date.now();
    try {
      const r = Number(await (await this.client()).eval(EXTEND_SCRIPT, 1, this.key, token, ttlMs));
      return { extended: r === 1, validityMs: r === 1 ? ttlMs - (Date.now() - started) : 0, instances: [{ address: this.address, ok: r === 1 }] };
    } catch (err) {
      this.fail(err);
    }
  }

  async release(token: string): Promise<ReleaseOutcome> {
    try {
      const r = Number(await (await this.client()).eval(RELEASE_SCRIPT, 1, this.key, token));
      const detail = r === 1 ? 'released' : r === -1 ? 'absent' : 'mismatch';
      const out: ReleaseOutcome = { released: r === 1, instances: [{ address: this.address, ok: r === 1, detail }] };
      if (r !== 1) out.reason = r === -1 ? 'absent' : 'mismatch';
      return out;
    } catch (err) {
      this.fail(err);
    }
  }

  coverage(): Promise<Coverage> {
    return this.dep.coverage();
  }

  async close(): Promise<void> {
    await this.dep.close();
  }
}
