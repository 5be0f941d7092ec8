/**
 * How much of one string the parser keeps in its window. Anything longer is skipped (streamed
 * through the checksum), so memory stays bounded whatever the file holds.
 */
export const LIMITS = {
  /** String values are only looked at to tell an integer apart (at most 20 digits). */
  stringValue: 64,
  /** Key names are kept whole up to this; a longer key is named by its first bytes and its length. */
  key: 1 << 20,
  /** Compact blobs (listpack, ziplist, intset) are held and, when their header cannot say, walked. */
  blob: 32 << 20,
  /** Aux fields, module and consumer names, function bodies' headers. */
  small: 1 << 20,
} as const;

/** Bytes of an over-long key kept as its name. */
export const LONG_KEY_PREFIX = 1024;
