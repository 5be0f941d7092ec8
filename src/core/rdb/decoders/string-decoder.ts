import type { RdbInput } from '../input.js';
import { LIMITS } from '../limits.js';
import { readString, STR_INT, STR_RAW } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import type { DecodeContext, ValueDecoder } from './decoder.js';

/** Redis keeps a string as an integer when it is one in canonical form (string2ll) of at most 20 chars. */
function isCanonicalInteger(buf: Uint8Array, start: number, len: number): boolean {
  if (len === 0 || len > 20) return false;
  let i = start;
  const end = start + len;
  if (buf[i] === 0x2d) {
    i++;
    if (i === end) return false;
  }
  if (buf[i] === 0x30) return len === 1; // "0" only: no leading zeros, no "-0"
  for (; i < end; i++) if (buf[i]! < 0x30 || buf[i]! > 0x39) return false;
  if (len < 19) return true;
  // 19-20 characters: within the signed 64-bit range?
  const text = Buffer.from(buf.subarray(start, end)).toString('latin1');
  const v = BigInt(text);
  return v <= 9223372036854775807n && v >= -9223372036854775808n;
}

/** Embedded strings hold their bytes in the object itself up to this length (object.c). */
const EMBSTR_LIMIT = 44;

/** RDB type 0: a string, possibly an integer or LZF; only its length and integer-ness matter. */
export class StringDecoder implements ValueDecoder {
  begin(info: ValueInfo): void {
    info.type = 'string';
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    const ref = ctx.ref;
    readString(inp, ref, LIMITS.stringValue);
    info.length = ref.len;
    if (ref.kind === STR_INT || (ref.kind === STR_RAW && ref.held && isCanonicalInteger(inp.buf, ref.start, ref.len))) info.encoding = 'int';
    else info.encoding = ref.len <= EMBSTR_LIMIT ? 'embstr' : 'raw';
    inp.commit();
  }
}
