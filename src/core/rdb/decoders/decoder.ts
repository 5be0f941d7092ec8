import { GridctlError } from '../../errors.js';
import { COMPACT_HEAD_BYTES, headerCountAt, walkCount, type CompactKind } from '../compact.js';
import type { RdbHeader } from '../header.js';
import type { RdbInput } from '../input.js';
import { LIMITS } from '../limits.js';
import { readString, STR_RAW, stringBytes, stringHead, type StrRef } from '../strings.js';
import type { ValueInfo, ValueObserver } from '../value-info.js';

/** What every decoder shares: the file's header, the observer, and one reusable string reference. */
export interface DecodeContext {
  header: RdbHeader;
  observer: ValueObserver;
  ref: StrRef;
}

/** One separately held string of the value (counted, summed, observed). */
export function element(info: ValueInfo, ctx: DecodeContext, len: number): void {
  info.elementBytes += len;
  ctx.observer.element(len);
}

export function hashValue(info: ValueInfo, ctx: DecodeContext, len: number): void {
  info.elementBytes += len;
  ctx.observer.hashValue(len);
}

/** One compact blob of the value. */
export function blob(info: ValueInfo, ctx: DecodeContext, len: number): void {
  info.blobs++;
  info.blobBytes += len;
  ctx.observer.blob(len);
}

/**
 * Decodes one value type, resumably: `step` reads unit by unit (each ended by `inp.commit()`)
 * and keeps its progress in the instance, so after NEED_MORE and a refill it carries on where the
 * last commit left it. `begin` runs once per value, before the first step.
 */
export interface ValueDecoder {
  begin(info: ValueInfo, ctx: DecodeContext): void;
  /** Returns when the value is complete. */
  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void;
}

/**
 * Read one compact blob (a string holding a listpack, ziplist, intset or zipmap) and return the
 * number of entries it holds; the caller commits. A blob whose header cannot say and that is too
 * large to walk in memory is refused, not guessed.
 */
export function readCompactBlob(inp: RdbInput, ctx: DecodeContext, kind: CompactKind): number {
  const ref = ctx.ref;
  readString(inp, ref, LIMITS.blob);
  let n: number;
  if (ref.kind === STR_RAW) {
    n = headerCountAt(kind, inp.buf, ref.start, Math.min(ref.len, COMPACT_HEAD_BYTES), ref.len, ref.offset);
  } else {
    const head = stringHead(inp, ref, COMPACT_HEAD_BYTES);
    n = headerCountAt(kind, head, 0, head.length, ref.len, ref.offset);
  }
  if (n >= 0) return n;
  const whole = stringBytes(inp, ref, LIMITS.blob);
  if (!whole) {
    throw new GridctlError('USAGE', `a ${kind} of ${ref.len} bytes with 65535 or more entries at byte ${ref.offset} is too large to count in bounded memory (limit ${LIMITS.blob} bytes)`, {
      hint: 'analyse this backup with redis-cli --bigkeys on a server that loaded it',
      details: { offset: ref.offset },
    });
  }
  return walkCount(kind, whole, ref.offset);
}
