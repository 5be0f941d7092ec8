import { T } from '../../rdb/format.js';
import type { ValueInfo, ValueObserver } from '../../rdb/value-info.js';
import { SizeClasses, type Quantum } from './jemalloc.js';
import type { ServerProfile } from './server-profile.js';

/**
 * Redis' struct sizes on a 64-bit build (server.h, dict.h, quicklist.h, stream.h, rax.h of
 * 7.0-8.0), checked against MEMORY USAGE SAMPLES 0 on Redis 7.0.15, 7.2.6, 7.4.1, 8.0-m01 and
 * Valkey 8.0.1 (docs/memory.md, "Estimating memory").
 */
const S = {
  robj: 16,
  dictEntry: 24,
  dict: 56,
  quicklist: 40,
  quicklistNode: 40,
  zset: 16,
  zskiplist: 32,
  /** A skiplist node: element pointer, score, backward pointer, then 16 bytes per level. */
  zslNodeBase: 24,
  zslLevel: 16,
  zslMaxLevel: 32,
  stream: 80,
  streamCG: 40,
  consumer: 24,
  nack: 24,
  streamId: 16,
  /** streamRadixTreeMemoryUsage: sizeof(raxNode) plus 30 longs per node. */
  raxNode: 4 + 8 * 30,
  /** XADD starts each stream node with 4096 bytes and shrinks it only when the next node starts. */
  streamNodePrealloc: 4096,
  /** Redis 7.4 listpackEx header (expire meta, key, listpack pointer). */
  listpackEx: 32,
  /** Valkey 8 set members: the share of a dict entry a member costs on average (MEMORY USAGE SAMPLES 0). */
  valkeySetEntry: 6,
  /** Valkey 8 keyspace entry with its key embedded: value and next pointers and a header byte. */
  embeddedEntry: 17,
} as const;

/** Allocations of a server beyond its keys: the startup baseline and the keyspace and expires tables. */
export function keyspaceOverhead(keys: number, withExpiry: number): number {
  const BASELINE = 860_000; // used_memory of an empty Redis 7.x
  return BASELINE + 8 * dictBuckets(keys) + (withExpiry ? S.dictEntry * withExpiry + 8 * dictBuckets(withExpiry) : 0);
}

/** The two allocator builds an estimate is made for (jemalloc.ts): bundled (8) and system (16). */
const QUANTA: readonly Quantum[] = [8, 16];

function sdsHeader(len: number): number {
  return len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : 9;
}

/** Buckets of a dict holding n entries: the power of two at or above n, at least 4 (dict.c). */
function dictBuckets(n: number): number {
  if (n <= 4) return 4;
  return 2 ** Math.ceil(Math.log2(n));
}

/**
 * MEMORY USAGE-like estimates of keys read from a file, for both allocator builds at once. As a
 * ValueObserver it sums what each element and blob of the current value allocates (a 10M-member
 * set is summed, never held); `estimate` then adds the structures around them. Collections are
 * summed exactly where MEMORY USAGE samples 5 elements and scales: same expectation.
 */
export class KeyMemoryModel implements ValueObserver {
  readonly classes: SizeClasses[] = QUANTA.map((q) => new SizeClasses(q));
  private readonly elements = new Float64Array(2);
  private readonly hashValues = new Float64Array(2);
  private readonly blobAll = new Float64Array(2);
  private readonly blobFirst = new Float64Array(2);
  private readonly blobLast = new Float64Array(2);
  private blobs = 0;
  private lastBlobLen = 0;
  /** Expected allocation of a skiplist node per variant (levels are random, p = 1/4). */
  private readonly skiplistNode: number[];
  private readonly skiplistHeader: number[];

  private resolvedProfile: ServerProfile | undefined;

  /** `profile` may be a function: an RDB names its server in aux fields that precede the first key. */
  constructor(private readonly profileOf: ServerProfile | (() => ServerProfile)) {
    if (typeof profileOf !== 'function') this.resolvedProfile = profileOf;
    this.skiplistNode = this.classes.map((c) => {
      let expected = 0;
      for (let level = 1; level <= S.zslMaxLevel; level++) expected += 0.75 * 0.25 ** (level - 1) * c.size(S.zslNodeBase + S.zslLevel * level);
      return expected;
    });
    this.skiplistHeader = this.classes.map((c) => c.size(S.zslNodeBase + S.zslLevel * S.zslMaxLevel));
  }

  get profile(): ServerProfile {
    return (this.resolvedProfile ??= typeof this.profileOf === 'function' ? this.profileOf() : this.profileOf);
  }

  begin(): void {
    // Element by element: typed-array fill() costs more than the rest of a small key's work.
    this.elements[0] = this.elements[1] = 0;
    this.hashValues[0] = this.hashValues[1] = 0;
    this.blobAll[0] = this.blobAll[1] = 0;
    this.blobFirst[0] = this.blobFirst[1] = 0;
    this.blobLast[0] = this.blobLast[1] = 0;
    this.blobs = 0;
    this.lastBlobLen = 0;
  }

  element(len: number): void {
    this.elements[0]! += this.sds(0, len);
    this.elements[1]! += this.sds(1, len);
  }

  hashValue(len: number): void {
    this.hashValues[0]! += this.sds(0, len);
    this.hashValues[1]! += this.sds(1, len);
  }

  blob(len: number): void {
    for (let v = 0; v < 2; v++) {
      const a = this.classes[v]!.size(len);
      if (this.blobs < 5) this.blobFirst[v]! += a;
      this.blobAll[v]! += a;
      this.blobLast[v] = a;
    }
    this.blobs++;
    this.lastBlobLen = len;
  }

  /** The encoding OBJECT ENCODING gave when the value was saved (small lists are one listpack from Redis 7.2). */
  encodingOf(info: ValueInfo): string {
    if (info.type === 'list' && this.isListpackList(info)) return 'listpack';
    return info.encoding;
  }

  private isListpackList(info: ValueInfo): boolean {
    return this.profile.listpackLists && info.rdbType !== T.LIST && info.encoding !== 'linkedlist' && this.blobs === 1 && this.lastBlobLen <= 8192;
  }

  /** Bytes MEMORY USAGE would report for this key under variant v (0: 8-byte quantum, 1: 16-byte). */
  estimate(keyLength: number, info: ValueInfo, v: number): number {
    return Math.round(this.keyOverhead(keyLength, v) + this.valueBytes(info, v));
  }

  /** The key's own allocations in the keyspace: its sds and dict entry (Valkey 8: one embedded entry). */
  keyOverhead(keyLength: number, v: number): number {
    const c = this.classes[v]!;
    if (this.profile.embeddedKeys) return c.size(S.embeddedEntry + sdsHeader(keyLength) + keyLength + 1);
    return c.size(sdsHeader(keyLength) + keyLength + 1) + S.dictEntry;
  }

  private sds(v: number, len: number): number {
    return this.classes[v]!.size(sdsHeader(len) + len + 1);
  }

  private valueBytes(info: ValueInfo, v: number): number {
    const c = this.classes[v]!;
    const n = info.elements;
    switch (info.type) {
      case 'string':
        if (info.encoding === 'int') return S.robj;
        if (info.encoding === 'embstr') return c.size(S.robj + 3 + info.length + 1);
        return S.robj + this.sds(v, info.length);
      case 'list':
        if (info.rdbType === T.LIST) return S.robj + S.quicklist + S.quicklistNode + c.size(info.elementBytes + 2 * n + 7);
        if (this.isListpackList(info)) return S.robj + this.blobAll[v]!;
        return S.robj + S.quicklist + this.sampled(v, S.quicklistNode, n > 0 ? this.blobs : 0);
      case 'set':
        if (info.encoding !== 'hashtable') return S.robj + this.blobAll[v]!;
        // Valkey 8 keeps most members in their bucket, without a dict entry (measured: ~6 bytes each).
        return S.robj + S.dict + 8 * dictBuckets(n) + this.elements[v]! + n * (this.profile.embeddedKeys ? S.valkeySetEntry : S.dictEntry);
      case 'zset':
        if (info.encoding !== 'skiplist') return S.robj + this.blobAll[v]!;
        return S.robj + S.zset + S.zskiplist + S.dict + 8 * dictBuckets(n) + this.skiplistHeader[v]! + this.elements[v]! + n * (S.dictEntry + this.skiplistNode[v]!);
      case 'hash':
        if (info.encoding === 'listpackex') return S.robj + c.size(S.listpackEx) + this.blobAll[v]!;
        if (info.encoding !== 'hashtable') return S.robj + this.blobAll[v]!;
        // Fields with a TTL carry 8 more bytes of expiry metadata.
        return S.robj + S.dict + 8 * dictBuckets(n) + this.elements[v]! + this.hashValues[v]! + n * S.dictEntry + 8 * info.fieldsWithTtl;
      case 'stream':
        return this.streamBytes(info, v);
      default:
        // Module values: their own memory accounting is unknown offline; the stored size is a floor.
        return S.robj + info.storedBytes;
    }
  }

  /** MEMORY USAGE samples the first 5 quicklist nodes and scales their average to all `nodes`. */
  private sampled(v: number, perNode: number, nodes: number): number {
    if (nodes === 0) return 0;
    const sampled = Math.min(5, nodes);
    return ((this.blobFirst[v]! + perNode * sampled) / sampled) * nodes;
  }

  private streamBytes(info: ValueInfo, v: number): number {
    const nodes = this.blobs;
    // The newest node is still the 4096-byte preallocation of XADD (until the next node starts).
    const last = Math.max(this.classes[v]!.size(S.streamNodePrealloc), this.blobLast[v]!);
    let listpacks: number;
    if (nodes === 0) listpacks = 0;
    else if (nodes <= 5) listpacks = this.blobFirst[v]! - this.blobLast[v]! + last;
    else listpacks = (this.blobFirst[v]! / 5) * (nodes - 1) + last;
    const rax = (keys: number, raxNodes: number) => keys * S.streamId + raxNodes * S.raxNode;
    const consumer = S.consumer + (this.profile.consumerActiveTime ? 8 : 0);
    // A NACK is shared by its group's PEL and its consumer's PEL, and charged once.
    const p = info.pending;
    const groups = info.groups * S.streamCG + rax(p, info.pelRaxNodes) + S.nack * p + info.consumers * consumer + info.consumerNameBytes + rax(p, info.consumerPelRaxNodes);
    return S.robj + S.stream + rax(nodes, info.streamRaxNodes) + listpacks + groups;
  }
}
