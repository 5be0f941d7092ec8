import type { Redis } from 'ioredis';
import { ScriptRunner } from '../backup/script-runner.js';
import { RESTORE_SCRIPT } from './restore-script.js';

export type ConflictMode = 'fail' | 'skip' | 'replace';

export interface BatchOutcome {
  /** One status letter per record, in order (restore-script.ts). */
  statuses: string;
  errors: Array<{ key: string; message: string }>;
}

const MIN_BATCH_BYTES = 16 << 10;
const MAX_BATCH_BYTES = 4 << 20;
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
  private batchBytes = 256 << 10;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly script = new ScriptRunner(RESTORE_SCRIPT);

  constructor(
    private readonly client: Redis,
    private readonly mode: ConflictMode,
    private readonly onOutcome: (types: number[], outcome: BatchOutcome) => void,
    private readonly targetBatchMs = 5,
  ) {}

  /** Queue one encoded record; resolves when the pipeline has room. */
  async add(record: Buffer, type: number): Promise<void> {
    this.parts.push(record);
    this.partTypes.push(type);
    this.partBytes += record.length;
    if (this.partBytes >= this.batchBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const payload = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    const types = this.partTypes;
    this.parts = [];
    this.partTypes = [];
    this.partBytes = 0;
    const p = this.send(payload, types).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    while (this.inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(this.inFlight);
  }

  private async send(payload: Buffer, types: number[]): Promise<void> {
    const t0 = process.hrtime.bigint();
    const reply = (await this.script.run(this.client, [this.mode, String(Date.now()), payload])) as [Buffer, Buffer[]];
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / BATCHES_IN_FLIGHT;
    const ideal = (payload.length * this.targetBatchMs) / Math.max(0.05, ms);
    this.batchBytes = Math.round(Math.min(MAX_BATCH_BYTES, Math.max(MIN_BATCH_BYTES, this.batchBytes * 0.5 + ideal * 0.5)));
    const errors: BatchOutcome['errors'] = [];
    const list = reply[1] ?? [];
    for (let i = 0; i + 1 < list.length; i += 2) errors.push({ key: list[i]!.toString('latin1'), message: list[i + 1]!.toString() });
    this.onOutcome(types, { statuses: reply[0].toString('latin1'), errors });
  }

  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
  }
}
