import type { NamespaceConfig } from '../config/schema.js';
import { NamespaceMatcher, type NamespaceMatch } from '../namespaces/matcher.js';
import { TopN } from './top-n.js';
import { histogramToRecord, ttlBucketIndex } from './ttl-histogram.js';
import { extrapolate } from './key-sampler.js';
import { KEY_TYPES, TTL_BUCKETS, type KeyEntry, type KeyType, type NamespaceStats } from './types.js';

export interface AggregatorOptions {
  namespaces: readonly NamespaceConfig[];
  prefixDepth: number;
  top: number;
  /** Biggest keys kept per namespace. */
  topPerNamespace?: number;
  bigKeyBytes: number;
  bigKeyElements: number;
  /** Inclusion probability of --sample (1 = every key). */
  sampleRatio: number;
}

/** Examples kept per namespace for findings (keys without TTL, type mismatches). */
const EXAMPLES = 3;

/** Running totals of one namespace: fixed-size, whatever its number of keys. */
class NamespaceAccumulator {
  keys = 0;
  bytes = 0;
  bytesSquared = 0;
  maxBytes = 0;
  /** The same sums under a second byte estimate (--from: the other allocator build). */
  altBytes = 0;
  altBytesSquared = 0;
  altMaxBytes = 0;
  elements = 0;
  withTtl = 0;
  readonly types = new Float64Array(KEY_TYPES.length);
  readonly ttl = new Float64Array(TTL_BUCKETS.length);
  readonly biggest: TopN<KeyEntry>;
  readonly noTtlExamples = new TopN<string>(EXAMPLES, () => 0, (k) => k);
  readonly wrongTypeExamples = new TopN<string>(EXAMPLES, () => 0, (k) => k);
  wrongType = 0;

  constructor(
    readonly name: string,
    readonly declared: NamespaceConfig | undefined,
    topPerNamespace: number,
  ) {
    this.biggest = new TopN<KeyEntry>(topPerNamespace, (e) => e.bytes, (e) => e.key);
  }
}

/**
 * Streaming aggregation: each key updates a handful of counters of its namespace and a few
 * bounded heaps, then is forgotten. Memory is flat in the number of keys (it grows only with the
 * number of namespaces, which the matcher caps).
 */
export class MemoryAggregator {
  private readonly matcher: NamespaceMatcher;
  private readonly byName = new Map<string, NamespaceAccumulator>();
  readonly topByBytes: TopN<KeyEntry>;
  readonly topByElements: TopN<KeyEntry>;
  readonly bigKeys: TopN<KeyEntry>;
  bigKeyCount = 0;
  analysed = 0;
  private readonly altOf = new WeakMap<KeyEntry, number>();

  constructor(private readonly opts: AggregatorOptions) {
    this.matcher = new NamespaceMatcher(opts.namespaces, { prefixDepth: opts.prefixDepth });
    this.topByBytes = new TopN<KeyEntry>(opts.top, (e) => e.bytes, (e) => e.key);
    this.topByElements = new TopN<KeyEntry>(opts.top, (e) => e.elements, (e) => e.key);
    this.bigKeys = new TopN<KeyEntry>(Math.max(opts.top, 10), (e) => e.bytes, (e) => e.key);
  }

  add(key: string, type: KeyType, bytes: number, ttlMs: number, elements: number): void {
    this.addMatched(this.matcher.match(key), key, type, bytes, ttlMs, elements);
  }

  /** The namespace of a key (for callers that feed several aggregators with one match). */
  match(key: string): NamespaceMatch {
    return this.matcher.match(key);
  }

  /**
   * `altBytes`: a second estimate of the key's bytes, summed alongside; useAltBytes() makes it the
   * one reported (memory --from estimates for two allocator builds and picks one at the end).
   */
  addMatched(match: NamespaceMatch, key: string, type: KeyType, bytes: number, ttlMs: number, elements: number, altBytes = bytes): void {
    this.analysed++;
    let acc = this.byName.get(match.name);
    if (!acc) {
      acc = new NamespaceAccumulator(match.name, match.declared, this.opts.topPerNamespace ?? 3);
      this.byName.set(match.name, acc);
    }
    acc.keys++;
    acc.bytes += bytes;
    acc.bytesSquared += bytes * bytes;
    if (bytes > acc.maxBytes) acc.maxBytes = bytes;
    acc.altBytes += altBytes;
    acc.altBytesSquared += altBytes * altBytes;
    if (altBytes > acc.altMaxBytes) acc.altMaxBytes = altBytes;
    acc.elements += elements;
    acc.types[KEY_TYPES.indexOf(type)]!++;
    acc.ttl[ttlBucketIndex(ttlMs)]!++;
    if (ttlMs >= 0) acc.withTtl++;
    else acc.noTtlExamples.push(key);
    const declaredType = match.declared?.type;
    if (declaredType && declaredType !== type) {
      acc.wrongType++;
      acc.wrongTypeExamples.push(key);
    }

    // Build the entry object only when some heap will keep it: most keys never reach a top list.
    const big = bytes > this.opts.bigKeyBytes || elements > this.opts.bigKeyElements;
    if (big) this.bigKeyCount++;
    if (
      acc.biggest.wouldKeep(bytes, key) ||
      this.topByBytes.wouldKeep(bytes, key) ||
      (elements > 0 && this.topByElements.wouldKeep(elements, key)) ||
      (big && this.bigKeys.wouldKeep(bytes, key))
    ) {
      const entry: KeyEntry = { key, namespace: match.name, type, bytes, elements, ttlMs };
      if (altBytes !== bytes) this.altOf.set(entry, altBytes);
      acc.biggest.push(entry);
      this.topByBytes.push(entry);
      if (elements > 0) this.topByElements.push(entry);
      if (big) this.bigKeys.push(entry);
    }
  }

  /** Report the alternative byte estimates from now on (sums, maxima and every kept key). */
  useAltBytes(): void {
    for (const acc of this.byName.values()) {
      acc.bytes = acc.altBytes;
      acc.bytesSquared = acc.altBytesSquared;
      acc.maxBytes = acc.altMaxBytes;
      for (const e of acc.biggest.sorted()) e.bytes = this.altOf.get(e) ?? e.bytes;
    }
    for (const heap of [this.topByBytes, this.topByElements, this.bigKeys]) for (const e of heap.sorted()) e.bytes = this.altOf.get(e) ?? e.bytes;
  }

  /** Per-namespace statistics, biggest first (ties by name, so the order is stable). */
  namespaces(): NamespaceStats[] {
    const p = this.opts.sampleRatio;
    let totalBytes = 0;
    for (const acc of this.byName.values()) totalBytes += acc.bytes;
    const out: NamespaceStats[] = [];
    for (const acc of this.byName.values()) {
      const types: Partial<Record<KeyType, number>> = {};
      KEY_TYPES.forEach((t, i) => {
        if (acc.types[i]) types[t] = acc.types[i]!;
      });
      const stats: NamespaceStats = {
        name: acc.name,
        declared: Boolean(acc.declared),
        keys: acc.keys,
        bytes: acc.bytes,
        share: totalBytes ? acc.bytes / totalBytes : 0,
        avgBytes: acc.keys ? Math.round(acc.bytes / acc.keys) : 0,
        maxBytes: acc.maxBytes,
        types,
        elements: acc.elements,
        ttl: { withTtl: acc.withTtl, coverage: acc.keys ? acc.withTtl / acc.keys : 0, histogram: histogramToRecord(acc.ttl) },
        biggestKeys: acc.biggest.sorted(),
      };
      if (acc.declared) stats.kind = acc.declared.kind;
      if (p < 1) stats.sampled = { keys: extrapolate(acc.keys, acc.keys, p), bytes: extrapolate(acc.bytes, acc.bytesSquared, p) };
      out.push(stats);
    }
    return out.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  }

  /** Examples of keys without TTL and of wrong-typed keys, per namespace (for findings). */
  examples(name: string): { noTtl: string[]; wrongType: string[]; wrongTypeCount: number } {
    const acc = this.byName.get(name);
    if (!acc) return { noTtl: [], wrongType: [], wrongTypeCount: 0 };
    return { noTtl: acc.noTtlExamples.sorted(), wrongType: acc.wrongTypeExamples.sorted(), wrongTypeCount: acc.wrongType };
  }

  /** Σ bytes and Σ bytes² over all analysed keys (for the sampling error of the total). */
  byteSums(): { sum: number; squares: number } {
    let sum = 0;
    let squares = 0;
    for (const acc of this.byName.values()) {
      sum += acc.bytes;
      squares += acc.bytesSquared;
    }
    return { sum, squares };
  }

  declaredOf(name: string): NamespaceConfig | undefined {
    return this.byName.get(name)?.declared;
  }
}
