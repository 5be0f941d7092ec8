import { T } from '../format.js';
import type { RdbEngine } from '../header.js';
import type { ValueDecoder } from './decoder.js';
import { HashDecoder } from './hash-decoder.js';
import { ListDecoder } from './list-decoder.js';
import { ModuleDecoder } from './module-decoder.js';
import { SetDecoder } from './set-decoder.js';
import { StreamDecoder } from './stream-decoder.js';
import { StringDecoder } from './string-decoder.js';
import { ZsetDecoder } from './zset-decoder.js';

/** Value types both engines write (rdb.h of Redis 7.0-8.0 and Valkey 8-9). */
const COMMON_TYPES = [T.STRING, T.LIST, T.SET, T.ZSET, T.HASH, T.ZSET_2, T.MODULE_2, T.HASH_ZIPMAP, T.LIST_ZIPLIST, T.SET_INTSET, T.ZSET_ZIPLIST, T.HASH_ZIPLIST, T.LIST_QUICKLIST, T.STREAM_LISTPACKS, T.HASH_LISTPACK, T.ZSET_LISTPACK, T.LIST_QUICKLIST_2, T.STREAM_LISTPACKS_2, T.SET_LISTPACK, T.STREAM_LISTPACKS_3];
/** Redis 7.4's hash field expiry types; in a VALKEY file only 22 exists, as Valkey 9's HASH_2. */
const REDIS_ONLY = [T.HASH_METADATA_PRE_GA, T.HASH_LISTPACK_EX_PRE_GA, T.HASH_METADATA, T.HASH_LISTPACK_EX];
const VALKEY_ONLY = [T.HASH_METADATA_PRE_GA];

/** One decoder instance per kind, per parser (decoders keep the progress of the current value). */
export class DecoderSet {
  private readonly byType = new Map<number, ValueDecoder>();

  constructor(engine: RdbEngine) {
    const string = new StringDecoder();
    const list = new ListDecoder();
    const set = new SetDecoder();
    const zset = new ZsetDecoder();
    const hash = new HashDecoder();
    const stream = new StreamDecoder();
    const module = new ModuleDecoder();
    const kinds: Record<number, ValueDecoder> = {
      [T.STRING]: string,
      [T.LIST]: list, [T.LIST_ZIPLIST]: list, [T.LIST_QUICKLIST]: list, [T.LIST_QUICKLIST_2]: list,
      [T.SET]: set, [T.SET_INTSET]: set, [T.SET_LISTPACK]: set,
      [T.ZSET]: zset, [T.ZSET_2]: zset, [T.ZSET_ZIPLIST]: zset, [T.ZSET_LISTPACK]: zset,
      [T.HASH]: hash, [T.HASH_ZIPMAP]: hash, [T.HASH_ZIPLIST]: hash, [T.HASH_LISTPACK]: hash,
      [T.HASH_METADATA_PRE_GA]: hash, [T.HASH_LISTPACK_EX_PRE_GA]: hash, [T.HASH_METADATA]: hash, [T.HASH_LISTPACK_EX]: hash,
      [T.STREAM_LISTPACKS]: stream, [T.STREAM_LISTPACKS_2]: stream, [T.STREAM_LISTPACKS_3]: stream,
      [T.MODULE_2]: module,
    };
    for (const t of [...COMMON_TYPES, ...(engine === 'valkey' ? VALKEY_ONLY : REDIS_ONLY)]) this.byType.set(t, kinds[t]!);
  }

  /** The decoder of an RDB value type, or undefined when this engine's format has no such type. */
  get(rdbType: number): ValueDecoder | undefined {
    return this.byType.get(rdbType);
  }
}
