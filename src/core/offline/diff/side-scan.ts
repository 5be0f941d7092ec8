import type { NamespaceConfig } from '../../config/schema.js';
import type { KeyType, NamespaceStats } from '../../memory/types.js';
import { backupFiles } from '../backup-files.js';
import { readBackupKeys, type PartFacts } from '../backup-keys.js';
import { FileScan } from '../file-scan.js';
import { FLAG_BIG, FLAG_TTL, fingerprint, KeyIndex, type KeyIndexData } from './key-index.js';

export interface SideOptions {
  namespaces: readonly NamespaceConfig[];
  prefixDepth: number;
  bigKeyBytes: number;
  bigKeyElements: number;
  match?: string;
  /** The namespace whose changed keys are listed (--keys): its key names are kept. */
  listNamespace?: string;
  /** At most this many big keys are named. */
  nameLimit: number;
  /** At most this many key names of the --keys namespace are kept (default 1M: ~100 MB). */
  listLimit?: number;
  keyMaterial?: Buffer;
}

const LIST_LIMIT = 1_000_000;

/** A named key kept for the report (a big key, or a key of the --keys namespace). */
export interface NamedKey {
  key: string;
  lo: number;
  hi: number;
  /** Namespace index (into namespaceNames). */
  ns: number;
  type: KeyType;
  elements: number;
  bytes: [number, number];
}

/** One backup, reduced to what a diff needs; structured-cloneable (it may come from a worker). */
export interface SideScan {
  file: string;
  parts: PartFacts[];
  read: number;
  withExpiry: number;
  totalBytes: number[];
  expired: number;
  namespaceNames: string[];
  /** Per-namespace statistics under each allocator build: [bundled, system]. */
  stats: [NamespaceStats[], NamespaceStats[]];
  index: KeyIndexData;
  bigKeys: NamedKey[];
  /** Keys of the --keys namespace (names), up to nameLimit. */
  listed: NamedKey[];
  listedTruncated: boolean;
}

/** Read one backup for a diff: every key's fingerprint, namespace and bytes, and the namespace statistics. */
export async function scanSide(file: string, opts: SideOptions): Promise<SideScan> {
  const files = await backupFiles(file);
  const scan = new FileScan({ ...opts, sampleRatio: 1, top: 0 });
  const index = new KeyIndex();
  const nsIndex = new Map<string, number>();
  const names: string[] = [];
  const print = new Uint32Array(2);
  const bigKeys: NamedKey[] = [];
  const listed: NamedKey[] = [];
  let listedTruncated = false;
  const parts = await readBackupKeys(
    files,
    (k) => {
      const match = scan.add(k);
      if (!match) return;
      let ns = nsIndex.get(match.name);
      if (ns === undefined) {
        ns = names.length;
        names.push(match.name);
        nsIndex.set(match.name, ns);
      }
      fingerprint(k.keyBytes, k.keyLength, k.db, print);
      const v = k.value;
      const big = k.bytes[0]! > opts.bigKeyBytes || v.elements > opts.bigKeyElements;
      index.push(print[0]!, print[1]!, ns, k.bytes[0]!, k.bytes[1]!, (k.expireAt !== -1 ? FLAG_TTL : 0) | (big ? FLAG_BIG : 0));
      const listThis = opts.listNamespace !== undefined && match.name === opts.listNamespace;
      if (!big && !listThis) return;
      const named: NamedKey = { key: k.keyBytes.toString('utf8', 0, k.keyLength), lo: print[0]!, hi: print[1]!, ns, type: v.type, elements: v.elements, bytes: [k.bytes[0]!, k.bytes[1]!] };
      if (big && bigKeys.length < opts.nameLimit) bigKeys.push(named);
      if (listThis) {
        if (listed.length < (opts.listLimit ?? LIST_LIMIT)) listed.push(named);
        else listedTruncated = true;
      }
    },
    opts.keyMaterial ? { keyMaterial: opts.keyMaterial } : {},
  );
  const bundled = scan.aggregator.namespaces();
  scan.aggregator.useAltBytes();
  const system = scan.aggregator.namespaces();
  return {
    file,
    parts,
    read: scan.read,
    withExpiry: scan.withExpiry,
    totalBytes: scan.totalBytes,
    expired: scan.expired,
    namespaceNames: names,
    stats: [bundled, system],
    index: index.seal(),
    bigKeys,
    listed,
    listedTruncated,
  };
}
