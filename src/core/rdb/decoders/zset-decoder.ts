import { T } from '../format.js';
import type { RdbInput } from '../input.js';
import { rdbIntegrity } from '../rdb-error.js';
import { readLen, readString } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import { blob, element, readCompactBlob, type DecodeContext, type ValueDecoder } from './decoder.js';

/**
 * Sorted sets: type 3 (members with scores as length-prefixed text, 253-255 = nan/+inf/-inf),
 * 5 (ZSET_2: scores as 8-byte binary doubles), 12 (ziplist) and 17 (listpack) of member/score pairs.
 * A member may be large: it ends its unit, the score is the next one.
 */
export class ZsetDecoder implements ValueDecoder {
  private remaining = -1;
  private scoreNext = false;

  begin(info: ValueInfo): void {
    info.type = 'zset';
    info.encoding = info.rdbType === T.ZSET_ZIPLIST ? 'ziplist' : info.rdbType === T.ZSET_LISTPACK ? 'listpack' : 'skiplist';
    this.remaining = -1;
    this.scoreNext = false;
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    if (info.rdbType === T.ZSET_ZIPLIST || info.rdbType === T.ZSET_LISTPACK) {
      const n = readCompactBlob(inp, ctx, info.rdbType === T.ZSET_ZIPLIST ? 'ziplist' : 'listpack');
      if (n % 2) throw rdbIntegrity(`sorted set ${info.encoding} holds an odd number of entries (${n})`, ctx.ref.offset);
      info.elements = n / 2;
      blob(info, ctx, ctx.ref.len);
      inp.commit();
      return;
    }
    if (this.remaining < 0) {
      this.remaining = readLen(inp);
      info.elements = this.remaining;
      inp.commit();
    }
    while (this.remaining > 0) {
      if (!this.scoreNext) {
        readString(inp, ctx.ref, 0);
        element(info, ctx, ctx.ref.len);
        this.scoreNext = true;
        inp.commit();
      }
      if (info.rdbType === T.ZSET_2) {
        inp.need(8);
        if (Number.isNaN(inp.buf.readDoubleLE(inp.pos))) throw rdbIntegrity('sorted set score is NaN', inp.offset);
        inp.pos += 8;
      } else {
        const len = inp.u8();
        if (len === 253) throw rdbIntegrity('sorted set score is NaN', inp.offset - 1);
        if (len < 253) {
          inp.need(len);
          inp.pos += len;
        }
      }
      this.scoreNext = false;
      this.remaining--;
      inp.commit();
    }
  }
}
