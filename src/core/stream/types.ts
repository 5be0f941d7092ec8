import type { Coverage } from '../redis/coverage.js';
import type { GroupThresholds } from './settings.js';

/** critical: a threshold crossed (exit 1) · warning: cannot be judged, e.g. an unknown lag (exit 1 with --strict). */
export type StreamFindingSeverity = 'warning' | 'critical';

export interface StreamFinding {
  id: 'lag' | 'lag-unknown' | 'pending' | 'pending-age' | 'dead-consumer' | 'poison';
  severity: StreamFindingSeverity;
  stream: string;
  group: string;
  message: string;
}

export interface ConsumerState {
  name: string;
  pending: number;
  /** ms since the consumer's last attempted interaction (XREADGROUP, XCLAIM, ...). */
  idleMs: number;
  /** ms since its last successful interaction (Redis 7.2+; null before). */
  inactiveMs: number | null;
  /** Holds pending entries and has been inactive (idle before 7.2) past deadConsumerAfter. */
  dead: boolean;
}

export interface PendingEntrySummary {
  id: string;
  consumer: string;
  /** ms since the entry was last delivered (XPENDING IDLE). */
  idleMs: number;
  /** ms since the entry was added (from its id). */
  ageMs: number | null;
  deliveries: number;
}

export interface GroupState {
  name: string;
  consumers: number;
  pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (see lagUnknownReason). */
  lag: number | null;
  lagUnknownReason?: string;
  entriesRead: number | null;
  lastDeliveredId: string;
  lastDeliveredAgeMs: number | null;
  /** The pending entry with the lowest id (the oldest still unacknowledged). */
  oldestPending: PendingEntrySummary | null;
  /** The longest any pending entry has waited since its last delivery. */
  maxPendingIdleMs: number | null;
  maxDeliveries: number;
  /** Pending entries delivered poisonDeliveries times or more. */
  poisonEntries: number;
  /** How many pending entries were read for the two values above (all, unless the PEL is huge). */
  pendingScanned: number;
  consumerStates: ConsumerState[];
  deadConsumers: string[];
  thresholds: GroupThresholds;
}

export interface StreamInspectReport {
  stream: string;
  /** The master holding the stream. */
  node: string;
  checkedAt: string;
  length: number;
  firstId: string | null;
  lastId: string | null;
  firstAgeMs: number | null;
  lastAgeMs: number | null;
  entriesAdded: number | null;
  maxDeletedId: string | null;
  groups: GroupState[];
  findings: StreamFinding[];
  coverage: Coverage;
}

export interface StreamSummary {
  stream: string;
  node: string;
  length: number;
  firstId: string | null;
  lastId: string | null;
  firstAgeMs: number | null;
  lastAgeMs: number | null;
  groups: number;
  /** MAXLEN from gridctl.yaml `streams.<name>.maxLen`: Redis keeps no trimming policy. */
  maxLen: number | null;
  memoryBytes: number | null;
}

export interface StreamListReport {
  checkedAt: string;
  match: string | null;
  streams: StreamSummary[];
  totals: { streams: number; entries: number; memoryBytes: number };
  coverage: Coverage;
}
