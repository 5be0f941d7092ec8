import { listpackForEach } from '../compact.js';
import { T } from '../format.js';
import type { RdbInput } from '../input.js';
import { LIMITS } from '../limits.js';
import { rdbIntegrity } from '../rdb-error.js';
import { readLen, readString, stringBytes } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import { blob, element, hashValue, readCompactBlob, type DecodeContext, type ValueDecoder } from './decoder.js';

/** Which pieces one hash field is made of, in file order, for the hashtable-style types. */
type FieldLayout = 'field-value' | 'ttl-field-value' | 'field-value-expiry';

/**
 * Hashes. Compact: 9 (zipmap), 13 (ziplist) and 16 (listpack) of field/value pairs; 23 and 25
 * (Redis 7.4 listpack_ex, 25 after an 8-byte minimum expiry) of field/value/TTL triples, TTL 0 =
 * none. Hashtable: 4 (field, value); Redis 7.4's 24 (8-byte minimum expiry, then per field a
 * length-encoded TTL relative to it, 0 = none, then field and value) and 22 (release candidates:
 * the TTL absolute, no minimum); Valkey 9's 22 (HASH_2: field, value, 8-byte expiry, -1 = none).
 */
export class HashDecoder implements ValueDecoder {
  private remaining = -1;
  private part = 0;
  private minExpireRead = false;

  begin(info: ValueInfo): void {
    info.type = 'hash';
    const t = info.rdbType;
    info.encoding = t === T.HASH_ZIPMAP ? 'zipmap' : t === T.HASH_ZIPLIST ? 'ziplist' : t === T.HASH_LISTPACK ? 'listpack' : t === T.HASH_LISTPACK_EX || t === T.HASH_LISTPACK_EX_PRE_GA ? 'listpackex' : 'hashtable';
    this.remaining = -1;
    this.part = 0;
    this.minExpireRead = false;
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    const t = info.rdbType;
    if ((t === T.HASH_LISTPACK_EX || (t === T.HASH_METADATA && ctx.header.engine === 'redis')) && !this.minExpireRead) {
      inp.need(8);
      inp.pos += 8; // the smallest field expiry, kept by Redis for a future use
      this.minExpireRead = true;
      inp.commit();
    }
    if (t === T.HASH_ZIPMAP || t === T.HASH_ZIPLIST || t === T.HASH_LISTPACK) {
      this.compact(inp, info, ctx, t === T.HASH_ZIPMAP ? 'zipmap' : t === T.HASH_ZIPLIST ? 'ziplist' : 'listpack', 2);
      return;
    }
    if (t === T.HASH_LISTPACK_EX || t === T.HASH_LISTPACK_EX_PRE_GA) {
      this.compact(inp, info, ctx, 'listpack', 3);
      return;
    }
    this.hashtable(inp, info, ctx, layoutOf(t, ctx.header.engine));
  }

  private compact(inp: RdbInput, info: ValueInfo, ctx: DecodeContext, kind: 'zipmap' | 'ziplist' | 'listpack', tuple: 2 | 3): void {
    let n = readCompactBlob(inp, ctx, kind);
    if (kind === 'zipmap') n *= 2; // a zipmap counts pairs
    if (n % tuple) throw rdbIntegrity(`hash ${kind} holds ${n} entries, not a multiple of ${tuple}`, ctx.ref.offset);
    info.elements = n / tuple;
    if (tuple === 3) {
      const lp = stringBytes(inp, ctx.ref, LIMITS.blob);
      if (lp) listpackForEach(lp, ctx.ref.offset, (i, v) => {
        if (i % 3 === 2 && v !== 0) info.fieldsWithTtl++;
      });
    }
    blob(info, ctx, ctx.ref.len);
    inp.commit();
  }

  private hashtable(inp: RdbInput, info: ValueInfo, ctx: DecodeContext, layout: FieldLayout): void {
    if (this.remaining < 0) {
      this.remaining = readLen(inp);
      info.elements = this.remaining;
      inp.commit();
    }
    const ref = ctx.ref;
    while (this.remaining > 0) {
      if (this.part === 0) {
        const ttl = layout === 'ttl-field-value' ? readLen(inp) : 0;
        readString(inp, ref, 0);
        if (ttl !== 0) info.fieldsWithTtl++; // effects after the unit's last read: a retry repeats none
        element(info, ctx, ref.len);
        this.part = 1;
        inp.commit();
      }
      if (this.part === 1) {
        readString(inp, ref, 0);
        hashValue(info, ctx, ref.len);
        this.part = layout === 'field-value-expiry' ? 2 : 0;
        inp.commit();
      }
      if (this.part === 2) {
        if (inp.i64le() !== -1) info.fieldsWithTtl++;
        this.part = 0;
        inp.commit();
      }
      this.remaining--;
    }
  }
}

function layoutOf(rdbType: number, engine: 'redis' | 'valkey'): FieldLayout {
  if (rdbType === T.HASH) return 'field-value';
  if (rdbType === T.HASH_METADATA_PRE_GA && engine === 'valkey') return 'field-value-expiry';
  return 'ttl-field-value';
}
