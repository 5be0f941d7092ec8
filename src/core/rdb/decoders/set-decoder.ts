import { T } from '../format.js';
import type { RdbInput } from '../input.js';
import { readLen, readString } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import { blob, element, readCompactBlob, type DecodeContext, type ValueDecoder } from './decoder.js';

/** Sets: type 2 (hashtable: a length and members), 11 (one intset), 20 (one listpack). */
export class SetDecoder implements ValueDecoder {
  private remaining = -1;

  begin(info: ValueInfo): void {
    info.type = 'set';
    info.encoding = info.rdbType === T.SET ? 'hashtable' : info.rdbType === T.SET_INTSET ? 'intset' : 'listpack';
    this.remaining = -1;
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    if (info.rdbType !== T.SET) {
      info.elements = readCompactBlob(inp, ctx, info.rdbType === T.SET_INTSET ? 'intset' : 'listpack');
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
      readString(inp, ctx.ref, 0);
      element(info, ctx, ctx.ref.len);
      this.remaining--;
      inp.commit();
    }
  }
}
