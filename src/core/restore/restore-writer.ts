import type { Redis } from 'ioredis';
import { ScriptRunner } from '../backup/script-runner.js';
import { RESTORE_SCRIPT } from './restore-script.js';
import { forEachRecord } from '../backup/record-codec.js';

export type ConflictMode = 'fail' | 'skip' | 'replace';

export interface BatchOutcome {
  /**
   * One status letter per record, in order (restore-script.ts), plus `m`: the node no longer owns
   * the key's slot (it moved during the restore); the record is in `misrouted`, to be sent again.
   */
  statuses: string;
  errors: Array<{ key: string; message: string }>;
  misrouted: MisroutedRecord[];
}

/** A record the node refused because its slot moved: its encoded bytes (a copy), to re-route. */
export interface MisroutedRecord {
  raw: Buffer;
  key: Buffer;
  type: number;
  tag: number;
}

/** Inside a script on a Cluster node, a key of a slot the node does not serve (any more). */
function isMisrouted(message: string): boolean {
  return /non local key|^(MOVED|ASK) /.test(message);
}

const MIN_BATCH_BYTES = 16 << 10;
const MAX_BATCH_BYTES = 1 << 20;
const BATCHES_IN_FLIGHT = 3;

/**
 * Restores into one node: gathers encoded records into a batch, sends one RESTORE script per
 * batch with up to three in flight (a pipeline), and steers the batch size so each script runs
 * about `targetBatchMs`, keeping the target responsive while a restore runs.
 */
export class NodeRestorer {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private partTypes: number[] = [];
  /** Per record: the caller's tag (e.g. which sampled record it is), -1 for none. */
  private partTags: number[] = [];
  private batchBytes = 256 << 10;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly script = new ScriptRunner(RESTORE_SCRIPT);

  constructor(
    private readonly client: Redis,
    private readonly mode: ConflictMode,
    private readonly onOutcome: (types: number[], outcome: BatchOutcome, tags: number[]) => void,
    private readonly targetBatchMs = 5,
  ) {}

  private runRaw: Buffer | undefined;
  private runStart = 0;
  private runEnd = 0;

  /**
   * Queue one encoded record lying at raw[start, end). Consecutive records of the same frame are
   * kept as one slice (no per-record copy); returns a promise only when a batch was sent and the
   * pipeline is full, so the caller can wait for room.
   */
  add(raw: Buffer, start: number, end: number, type: number, tag = -1): Promise<void> | undefined {
    if (this.runRaw !== raw || this.runEnd !== start) {
      this.closeRun();
      this.runRaw = raw;
      this.runStart = start;
    }
    this.runEnd = end;
    this.partTypes.push(type);
    this.partTags.push(tag);
    this.partBytes += end - start;
    if (this.partBytes >= this.batchBytes) return this.flush();
    return undefined;
  }

  private closeRun(): void {
    if (this.runRaw && this.runEnd > this.runStart) this.parts.push(this.runRaw.subarray(this.runStart, this.runEnd));
    this.runRaw = undefined;
    this.runStart = this.runEnd = 0;
  }

  async flush(): Promise<void> {
    this.closeRun();
    if (!this.parts.length || this.stopped) return;
    const payload = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    const types = this.partTypes;
    const tags = this.partTags;
    this.parts = [];
    this.partTypes = [];
    this.partTags = [];
    this.partBytes = 0;
    const p = this.send(payload, types, tags).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    while (this.inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(this.inFlight);
  }

  private async send(payload: Buffer, types: number[], tags: number[]): Promise<void> {
    const reply = (await this.script.run(this.client, [this.mode, String(Date.now()), payload])) as [Buffer, Buffer[], number];
    // Sized from the server time the script reports, not the round trip (which includes queueing).
    const ms = Math.max(0.05, Number(reply[2]) / 1000);
    const ideal = (payload.length * this.targetBatchMs) / ms;
    this.batchBytes = Math.round(Math.min(MAX_BATCH_BYTES, Math.max(MIN_BATCH_BYTES, this.batchBytes * 0.5 + ideal * 0.5)));
    const errors: BatchOutcome['errors'] = [];
    const list = reply[1] ?? [];
    for (let i = 0; i + 1 < list.length; i += 2) errors.push({ key: list[i]!.toString('latin1'), message: list[i + 1]!.toString() });
    let statuses = reply[0].toString('latin1');
    let misrouted: MisroutedRecord[] = [];
    if (errors.some((e) => isMisrouted(e.message))) ({ statuses, misrouted } = this.splitMisrouted(statuses, errors, payload, types, tags));
    this.onOutcome(types, { statuses, errors: errors.filter((e) => !isMisrouted(e.message)), misrouted }, tags);
  }

  /** Mark refused-because-moved records `m` and copy them out of the batch (rare: only while a slot moves). */
  private splitMisrouted(statuses: string, errors: BatchOutcome['errors'], payload: Buffer, types: number[], tags: number[]): { statuses: string; misrouted: MisroutedRecord[] } {
    const marks = statuses.split('');
    const moved = new Set<number>();
    let e = 0;
    marks.forEach((st, i) => {
      if (st !== 'x') return;
      if (isMisrouted(errors[e++]?.message ?? '')) {
        marks[i] = 'm';
        moved.add(i);
      }
    });
    const misrouted: MisroutedRecord[] = [];
    forEachRecord(payload, 0, (r, i) => {
      if (moved.has(i)) misrouted.push({ raw: Buffer.from(payload.subarray(r.start, r.end)), key: Buffer.from(r.key), type: types[i]!, tag: tags[i]! });
    });
    return { statuses: marks.join(''), misrouted };
  }

  private stopped = false;

  /** Interrupted: send nothing more; resolves once every batch already sent has answered (or failed). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.inFlight);
  }

  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
  }
}
