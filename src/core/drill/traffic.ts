import type { Cluster } from 'ioredis';
import type { AnyRedis } from '../redis/connect.js';

/** One command of a drill client: when it was sent, when it answered, and whether it succeeded. */
export interface TrafficEvent {
  start: number;
  end: number;
  ok: boolean;
}

/** What a client saw around the failover, from its events. */
export interface ClientSummary {
  commands: number;
  failed: number;
  /** Distinct error messages (a few). */
  errors: string[];
  /** The longest time without a successful command from the trigger on, ms. */
  longestGapMs: number;
  /** From the trigger to the first success sent after the new master took over and after the last failure, ms. */
  backAfterMs?: number;
  /** It succeeded after the new master took over: it reconnected (or was redirected). */
  servedAfterFailover: boolean;
}

/** Summarise a client's events around the trigger (t0) and the moment the new master was seen (promotedAt). */
export function summarizeClient(events: readonly TrafficEvent[], errors: readonly string[], t0: number, promotedAt: number | undefined): ClientSummary {
  const after = events.filter((e) => e.end >= t0);
  const lastFailure = after.filter((e) => !e.ok).reduce((m, e) => Math.max(m, e.end), 0);
  const back = promotedAt === undefined ? undefined : after.find((e) => e.ok && e.start >= Math.max(promotedAt, lastFailure));
  let longestGapMs = 0;
  let previous = t0;
  for (const e of after) {
    if (!e.ok) continue;
    longestGapMs = Math.max(longestGapMs, e.end - previous);
    previous = e.end;
  }
  return {
    commands: events.length,
    failed: events.filter((e) => !e.ok).length,
    errors: [...errors],
    longestGapMs,
    ...(back ? { backAfterMs: back.end - t0 } : {}),
    servedAfterFailover: back !== undefined,
  };
}

/** A loop of commands at a fixed rate until stopped; each one's outcome is recorded. */
abstract class TrafficLoop {
  readonly events: TrafficEvent[] = [];
  readonly errors: string[] = [];
  private running = false;
  private done: Promise<void> = Promise.resolve();

  constructor(protected readonly client: AnyRedis, private readonly intervalMs: number) {}

  start(): void {
    this.running = true;
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  /** One command; throws (or returns false) when it failed. */
  protected abstract once(): Promise<boolean>;

  private async loop(): Promise<void> {
    while (this.running) {
      const start = Date.now();
      let ok = false;
      try {
        ok = await this.once();
      } catch (err) {
        const message = String((err as Error).message ?? err).split('\n')[0]!;
        if (this.errors.length < 5 && !this.errors.includes(message)) this.errors.push(message);
      }
      const end = Date.now();
      this.events.push({ start, end, ok });
      const wait = start + this.intervalMs - end;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * The writer: SET <prefix><n> n, then WAIT 1 on the same connection (one pipeline: in a Cluster both
 * go to the node of the key's slot). A write is acknowledged when WAIT says a replica has it.
 */
export class DrillWriter extends TrafficLoop {
  /** Sequence numbers of the acknowledged writes. */
  readonly acked: number[] = [];
  unacknowledged = 0;
  private n = 0;

  constructor(client: AnyRedis, intervalMs: number, readonly prefix: string, private readonly waitTimeoutMs: number) {
    super(client, intervalMs);
  }

  get written(): number {
    return this.n;
  }

  protected async once(): Promise<boolean> {
    const n = ++this.n;
    for (let attempt = 1; ; attempt++) {
      const replies = (await this.client.pipeline().set(`${this.prefix}${n}`, String(n)).call('WAIT', '1', String(this.waitTimeoutMs)).exec()) ?? [];
      const failure = replies.find(([err]) => err)?.[0];
      // ioredis follows MOVED for a single command, not for a pipeline that mixes in WAIT: the
      // gateway's SET would be redirected, so the drill's is too (slot map refreshed, sent again).
      if (failure && /^(MOVED|ASK) /.test(failure.message) && attempt < 4 && 'refreshSlotsCache' in this.client) {
        await new Promise<void>((resolve) => (this.client as Cluster).refreshSlotsCache(() => resolve()));
        continue;
      }
      if (failure) throw failure;
      if (Number(replies[1]?.[1]) >= 1) this.acked.push(n);
      else this.unacknowledged++;
      return true;
    }
  }
}

/** The reader: GET of the newest acknowledged key (or a missing one before the first). */
export class DrillReader extends TrafficLoop {
  constructor(client: AnyRedis, intervalMs: number, private readonly writer: DrillWriter) {
    super(client, intervalMs);
  }

  protected async once(): Promise<boolean> {
    await this.client.get(`${this.writer.prefix}${this.writer.acked.at(-1) ?? 0}`);
    return true;
  }
}
