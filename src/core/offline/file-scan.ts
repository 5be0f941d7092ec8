import type { NamespaceConfig } from '../config/schema.js';
import { MemoryAggregator } from '../memory/aggregator.js';
import { createKeySampler } from '../memory/key-sampler.js';
import type { NamespaceMatch } from '../namespaces/matcher.js';
import { globToRegExp } from '../restore/key-glob.js';
import type { BackupKey } from './backup-keys.js';

export interface FileScanOptions {
  namespaces: readonly NamespaceConfig[];
  match?: string;
  sampleRatio: number;
  prefixDepth: number;
  top: number;
  bigKeyBytes: number;
  bigKeyElements: number;
}

/** Per-key work of the file analysis: filters, the aggregator (both estimates), encodings. */
export class FileScan {
  readonly aggregator: MemoryAggregator;
  readonly extras = new Map<string, { encodings: Record<string, number>; fieldsWithTtl: number }>();
  /** Every key read, the expired ones included: what the server held when it wrote the file. */
  read = 0;
  expired = 0;
  withExpiry = 0;
  readonly totalBytes = [0, 0];
  private readonly sampler: ((key: Buffer) => boolean) | undefined;
  private readonly match: RegExp | undefined;

  constructor(opts: FileScanOptions) {
    this.aggregator = new MemoryAggregator({ namespaces: opts.namespaces, prefixDepth: opts.prefixDepth, top: opts.top, bigKeyBytes: opts.bigKeyBytes, bigKeyElements: opts.bigKeyElements, sampleRatio: opts.sampleRatio });
    this.sampler = createKeySampler(opts.sampleRatio);
    this.match = opts.match ? globToRegExp(opts.match) : undefined;
  }

  /** Count one key; returns its namespace, or undefined when it is expired or filtered out. */
  add(k: BackupKey): NamespaceMatch | undefined {
    this.read++;
    this.totalBytes[0]! += k.bytes[0]!;
    this.totalBytes[1]! += k.bytes[1]!;
    if (k.expireAt !== -1) this.withExpiry++;
    if (k.expired) {
      this.expired++;
      return undefined;
    }
    if (this.match && !this.match.test(k.keyBytes.toString('latin1', 0, k.keyLength))) return undefined;
    if (this.sampler && !this.sampler(k.keyBytes.subarray(0, k.keyLength))) return undefined;
    const name = k.keyBytes.toString('utf8', 0, k.keyLength);
    const v = k.value;
    const match = this.aggregator.match(name);
    this.aggregator.addMatched(match, name, v.type, k.bytes[0]!, k.ttlMs, v.elements, k.bytes[1]!);
    let extra = this.extras.get(match.name);
    if (!extra) {
      extra = { encodings: {}, fieldsWithTtl: 0 };
      this.extras.set(match.name, extra);
    }
    extra.encodings[k.encoding] = (extra.encodings[k.encoding] ?? 0) + 1;
    extra.fieldsWithTtl += v.fieldsWithTtl;
    return match;
  }
}

