import type { KeyType } from '../memory/types.js';

/**
 * Told about every separately stored piece of a value as it streams past, so a memory model can
 * add up what the server allocates for it without the parser keeping anything: a 10M-member set
 * is never held, only observed. The parser knows the format; the model (memory/estimate/) knows
 * the allocator.
 */
export interface ValueObserver {
  /** A value starts (its type is known). */
  begin(rdbType: number): void;
  /** A member, field or element held as its own string (hashtable, skiplist, linked list), of `len` bytes. */
  element(len: number): void;
  /** A hash value held as its own string (hashtable encoding). */
  hashValue(len: number): void;
  /** A compact blob (listpack, ziplist, intset, a quicklist or stream node, a plain node) of `len` bytes. */
  blob(len: number): void;
}

/** Observes nothing (tests, and callers that only want counts). */
export const NO_OBSERVER: ValueObserver = { begin: () => undefined, element: () => undefined, hashValue: () => undefined, blob: () => undefined };

/** In-memory encodings, named as OBJECT ENCODING names them. */
export type Encoding = 'int' | 'embstr' | 'raw' | 'listpack' | 'quicklist' | 'linkedlist' | 'ziplist' | 'zipmap' | 'intset' | 'hashtable' | 'skiplist' | 'listpackex' | 'stream' | 'module';

/**
 * What one value is, filled by its decoder as it streams past (one object, reused for every key:
 * the consumer copies what it keeps). Sizes are sums of ValueSizer results.
 */
export class ValueInfo {
  rdbType = 0;
  type: KeyType = 'string';
  encoding: Encoding = 'raw';
  /** LLEN / SCARD / ZCARD / HLEN / XLEN; 0 for strings. */
  elements = 0;
  /** String length in bytes (strings), or the decoded length of what the value holds otherwise. */
  length = 0;
  /** Σ length of separately held strings (members, fields, values, elements). */
  elementBytes = 0;
  /** Compact blobs (quicklist or stream nodes); 1 for a listpack, ziplist or intset value. */
  blobs = 0;
  /** Σ length of the compact blobs. */
  blobBytes = 0;
  /** Hash fields that carry their own TTL (Redis 7.4+ / Valkey 9 hash field expiry). */
  fieldsWithTtl = 0;
  /** Streams: consumer groups, pending entries (all groups), consumers, Σ consumer name length. */
  groups = 0;
  pending = 0;
  consumers = 0;
  consumerNameBytes = 0;
  /** Streams: nodes of the rax of listpack nodes, of the groups' PELs and of the consumers' PELs (summed; each rax counts its root). */
  streamRaxNodes = 1;
  pelRaxNodes = 0;
  consumerPelRaxNodes = 0;
  /** Streams: entries ever added and the last ID, for reports. */
  lastId = '';
  /** Module values: the module type name (9 characters, from its id). */
  moduleType = '';
  /** Bytes the value takes in the file (set by the parser when the value ends). */
  storedBytes = 0;

  reset(rdbType: number): void {
    this.rdbType = rdbType;
    this.type = 'string';
    this.encoding = 'raw';
    this.elements = 0;
    this.length = 0;
    this.elementBytes = 0;
    this.blobs = 0;
    this.blobBytes = 0;
    this.fieldsWithTtl = 0;
    this.groups = 0;
    this.pending = 0;
    this.consumers = 0;
    this.consumerNameBytes = 0;
    this.streamRaxNodes = 1;
    this.pelRaxNodes = 0;
    this.consumerPelRaxNodes = 0;
    this.lastId = '';
    this.moduleType = '';
    this.storedBytes = 0;
  }
}
