/**
 * Stream entry ids ("<ms>-<seq>"): the milliseconds part says when an entry was added, which is
 * how an age is read from an id without another round trip.
 */
function idMs(id: string | null | undefined): number | null {
  if (!id) return null;
  const ms = Number(id.split('-')[0]);
  return Number.isFinite(ms) ? ms : null;
}

/** Age of an id at `now` (ms), null for no id or the 0-0 id of an empty stream. */
export function idAgeMs(id: string | null | undefined, now: number): number | null {
  const ms = idMs(id);
  return ms === null || id === '0-0' ? null : Math.max(0, now - ms);
}

/** Order of two ids (negative when a < b), numerically by both parts. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint | undefined];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint | undefined];
  if (am !== bm) return am < bm ? -1 : 1;
  const x = as ?? 0n;
  const y = bs ?? 0n;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A flat [field, value, field, value] reply (XINFO, CLIENT INFO-like arrays) as an object. */
export function pairs(flat: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (!Array.isArray(flat)) return o;
  for (let i = 0; i + 1 < flat.length; i += 2) o[String(flat[i])] = flat[i + 1];
  return o;
}

/** A reply field as a number, null when absent or nil (XINFO's lag and entries-read can be nil). */
export function numOrNull(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
