import type { Coverage } from '../redis/coverage.js';
import type { NamespaceConfig } from '../config/schema.js';
import type { Engine } from '../compat/server-identity.js';

/** Redis key types as the analysis counts them; `other` covers module types (ReJSON-RL, ...). */
export const KEY_TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'other'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export type Severity = 'info' | 'warning' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

/** Which per-key technique ran on a node: one read-only Lua script per batch, or plain pipelined commands. */
export type Technique = 'script' | 'pipeline';

export interface KeyEntry {
  key: string;
  namespace: string;
  type: KeyType;
  bytes: number;
  elements: number;
  ttlMs: number;
}

/** Error bound of an extrapolated total: the 95% interval is estimate ± margin. */
export interface Estimate {
  estimate: number;
  margin95: number;
}

export interface NamespaceStats {
  name: string;
  /** Declared kind (store/cache/ephemeral/lock), or undefined for prefix-grouped keys. */
  kind?: NamespaceConfig['kind'];
  declared: boolean;
  keys: number;
  bytes: number;
  /** bytes / all bytes (0..1). */
  share: number;
  avgBytes: number;
  maxBytes: number;
  types: Partial<Record<KeyType, number>>;
  elements: number;
  ttl: {
    withTtl: number;
    /** withTtl / keys (0..1). */
    coverage: number;
    histogram: Record<TtlBucket, number>;
  };
  biggestKeys: KeyEntry[];
  /** Present with --sample: the extrapolated key count and bytes with their 95% margins. */
  sampled?: { keys: Estimate; bytes: Estimate };
  /** From a backup file: keys per encoding (OBJECT ENCODING names, as the file stores them). */
  encodings?: Partial<Record<string, number>>;
  /** From a backup file: hash fields that carry their own TTL (Redis 7.4+ / Valkey 9 field expiry). */
  fieldsWithTtl?: number;
}

export const TTL_BUCKETS = ['none', '<1m', '<10m', '<1h', '<1d', '<7d', '>=7d'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

export interface Finding {
  id: 'ephemeral-without-ttl' | 'cache-without-ttl' | 'lock-without-ttl' | 'store-evictable' | 'big-key' | 'undeclared-keys' | 'type-mismatch';
  severity: Severity;
  namespace?: string;
  /** Keys concerned (in the analysed set; with --sample this is a sampled count). */
  keys: number;
  message: string;
  examples: string[];
}

export interface NodeReport {
  address: string;
  role: 'master' | 'replica';
  /** DBSIZE at the start (null if DBSIZE is not permitted). */
  dbsize: number | null;
  scanned: number;
  analysed: number;
  technique: Technique;
  /** Why the pipeline fallback ran, when it did. */
  fallbackReason?: string;
  /** CLIENT NO-TOUCH was on (Redis 7.2+), so the scan did not disturb LRU/LFU. */
  noTouch: boolean;
  /** The engine and its own version (a Valkey by its valkey_version, not its redis_version 7.2.4). */
  engine?: Engine;
  serverVersion?: string;
  maxmemoryPolicy?: string;
  maxmemory?: number;
  /** Final adaptive batch size (keys per server-side batch). */
  batchKeys: number;
}

export interface BaselineRow {
  namespace: string;
  keysBefore: number;
  keysAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  bytesDelta: number;
  /** Growth of bytes in percent (null when the namespace is new). */
  growthPercent: number | null;
}

export interface BaselineComparison {
  file: string;
  generatedAt?: string;
  totals: { keysBefore: number; keysAfter: number; bytesBefore: number; bytesAfter: number; bytesDelta: number; growthPercent: number | null };
  namespaces: BaselineRow[];
}

/** What `gridctl memory` is asked to do (flags over gridctl.yaml over defaults). */
export interface MemoryOptions {
  namespaces: readonly NamespaceConfig[];
  match?: string;
  replicas: boolean;
  samples: number;
  sampleRatio: number;
  prefixDepth: number;
  top: number;
  bigKeyBytes: number;
  bigKeyElements: number;
  failOn: Severity | 'never';
  baseline?: string;
  maxRate?: number;
  batchBudgetMs: number;
  technique: 'auto' | Technique;
}

export interface MemoryReport {
  generatedAt: string;
  topology: 'standalone' | 'sentinel' | 'cluster';
  /** What the totals cover: the nodes scanned, and whether they hold the whole keyspace (live reports; a backup's parts are in `backup`). */
  coverage?: Coverage;
  /** Where the keys were read: the masters, one replica per master, or a backup file (--from). */
  source: 'masters' | 'replicas' | 'backup';
  technique: Technique | 'mixed' | 'file';
  /** The options the analysis ran with, less the inputs that are not results (namespaces, pacing). */
  options: Pick<MemoryOptions, 'match' | 'samples' | 'sampleRatio' | 'prefixDepth' | 'top' | 'bigKeyBytes' | 'bigKeyElements' | 'failOn'>;
  nodes: NodeReport[];
  totals: { keys: number; bytes: number; withTtl: number; ttlCoverage: number; elements: number; scanned: number };
  sampling?: { ratio: number; analysedKeys: number; keys: Estimate; bytes: Estimate; note: string };
  namespaces: NamespaceStats[];
  topKeysByBytes: KeyEntry[];
  topKeysByElements: KeyEntry[];
  findings: Finding[];
  /** Highest severity found, or null when there are no findings. */
  worstSeverity: Severity | null;
  /** True when findings reach --fail-on (the command then exits 1). */
  failed: boolean;
  baseline?: BaselineComparison;
  /** --from FILE: what the backup is and how its memory was estimated. */
  backup?: BackupSourceReport;
  durationMs: number;
  keysPerSecond: number;
}

/** The backup a --from report was read from (no server was contacted). */
export interface BackupSourceReport {
  file: string;
  parts: import('../offline/backup-keys.js').PartFacts[];
  /** Keys whose TTL had already run out when the backup was taken: left out, as a server loading it would. */
  expiredKeys: number;
  /** How bytes were estimated: MEMORY USAGE's own formula, for the allocator build chosen. */
  estimate: {
    allocator: 'bundled' | 'system';
    reason: string;
    /** The servers' used_memory when the RDB files were written, and what the estimate implies for each build. */
    usedMemory?: number;
    impliedUsedMemory?: { bundled: number; system: number };
  };
}
