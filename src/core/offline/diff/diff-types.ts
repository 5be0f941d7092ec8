import type { NamespaceConfig } from '../../config/schema.js';
import type { BackupSourceReport, KeyType } from '../../memory/types.js';
import type { PartFacts } from '../backup-keys.js';

/** One backup of a diff, as the report describes it. */
export interface DiffSide {
  file: string;
  parts: PartFacts[];
  keys: number;
  bytes: number;
  /** Keys whose TTL had run out when that backup was taken (left out, as a server loading it would). */
  expiredKeys: number;
}

/** How one namespace changed from backup A (before) to backup B (after). */
export interface NamespaceDiff {
  namespace: string;
  kind?: NamespaceConfig['kind'];
  declared: boolean;
  keysBefore: number;
  keysAfter: number;
  /** Keys only in B, only in A, in both with more / fewer bytes, in both with the same size. */
  added: number;
  removed: number;
  grown: number;
  shrunk: number;
  unchanged: number;
  bytesBefore: number;
  bytesAfter: number;
  bytesDelta: number;
  /** Bytes of the added keys, of the removed keys, and the growth / shrinkage of the common ones. */
  bytesAdded: number;
  bytesRemoved: number;
  bytesGrown: number;
  bytesShrunk: number;
  /** Share of keys with a TTL (0..1) in A and in B. */
  ttlCoverageBefore: number;
  ttlCoverageAfter: number;
}

/** A key that is big in B and was not in A (absent, or under the thresholds). */
export interface NewBigKey {
  key: string;
  namespace: string;
  type: KeyType;
  bytes: number;
  elements: number;
  /** Its bytes in A, or null when A did not have it. */
  bytesBefore: number | null;
}

export type KeyChangeKind = 'added' | 'removed' | 'grown' | 'shrunk' | 'ttl-added' | 'ttl-removed';

/** One changed key of the --keys namespace. */
export interface KeyChange {
  key: string;
  change: KeyChangeKind;
  type: KeyType;
  bytesBefore: number | null;
  bytesAfter: number | null;
}

export interface BackupDiffReport {
  generatedAt: string;
  before: DiffSide;
  after: DiffSide;
  estimate: BackupSourceReport['estimate'];
  totals: Omit<NamespaceDiff, 'namespace' | 'kind' | 'declared'>;
  /** Largest byte change first. */
  namespaces: NamespaceDiff[];
  newBigKeys: NewBigKey[];
  /** --keys NAMESPACE: its changed keys (by size or TTL), largest change first. */
  keys?: { namespace: string; changes: KeyChange[]; truncated: boolean };
  /** Keys are matched by a 64-bit fingerprint of their name and database; sizes are estimates. */
  note: string;
  durationMs: number;
}
