import { QUICKLIST_PACKED, QUICKLIST_PLAIN, T } from '../format.js';
import type { RdbInput } from '../input.js';
import { rdbIntegrity } from '../rdb-error.js';
import { readLen, readString } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import { blob, element, readCompactBlob, type DecodeContext, type ValueDecoder } from './decoder.js';

/**
 * Lists: type 1 (a length and that many strings), 10 (one ziplist), 14 (quicklist of ziplists)
 * and 18 (quicklist 2: per node a container, PLAIN = one large element, PACKED = a listpack).
 */
export class ListDecoder implements ValueDecoder {
  private remaining = -1;

  begin(info: ValueInfo): void {
    info.type = 'list';
    info.encoding = info.rdbType === T.LIST ? 'linkedlist' : info.rdbType === T.LIST_ZIPLIST ? 'ziplist' : 'quicklist';
    this.remaining = -1;
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    if (info.rdbType === T.LIST_ZIPLIST) {
      const n = readCompactBlob(inp, ctx, 'ziplist');
      info.elements = n;
      blob(info, ctx, ctx.ref.len);
      inp.commit();
      return;
    }
    if (this.remaining < 0) {
      this.remaining = readLen(inp);
      inp.commit();
    }
    while (this.remaining > 0) {
      if (info.rdbType === T.LIST) {
        readString(inp, ctx.ref, 0);
        info.elements++;
        element(info, ctx, ctx.ref.len);
      } else {
        const start = inp.offset;
        const container = info.rdbType === T.LIST_QUICKLIST_2 ? readLen(inp) : QUICKLIST_PACKED;
        if (container === QUICKLIST_PLAIN) {
          readString(inp, ctx.ref, 0);
          info.elements++;
        } else if (container === QUICKLIST_PACKED) {
          info.elements += readCompactBlob(inp, ctx, info.rdbType === T.LIST_QUICKLIST ? 'ziplist' : 'listpack');
        } else {
          throw rdbIntegrity(`quicklist node container ${container} (expected 1 plain or 2 packed)`, start);
        }
        blob(info, ctx, ctx.ref.len);
      }
      this.remaining--;
      inp.commit();
    }
  }
}
