/**
 * The RDB format's numbers, as Redis' rdb.h (7.0-8.0) and Valkey's rdb.h (8.0, 9.x) define them.
 * Opcodes share the byte that otherwise names a value's type: 243-255 are opcodes, the rest types.
 */
export const OP = {
  /** Redis 8.x key metadata before a key (RDB 13+); in a VALKEY file 243 is SLOT_IMPORT. */
  KEY_META_OR_SLOT_IMPORT: 243,
  SLOT_INFO: 244,
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

export const T = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
  /** Redis 7.4 release candidates: hash with field TTLs (absolute), hashtable; Valkey 9: HASH_2. */
  HASH_METADATA_PRE_GA: 22,
  HASH_LISTPACK_EX_PRE_GA: 23,
  /** Redis 7.4+: hash with field TTLs relative to a minimum, hashtable encoding. */
  HASH_METADATA: 24,
  /** Redis 7.4+: listpack of (field, value, expiry) triples after a minimum expiry. */
  HASH_LISTPACK_EX: 25,
} as const;

/** Module value sub-opcodes (a module 2 value, MODULE_AUX and KEY_META are runs of these until EOF). */
export const MODULE_OP = { EOF: 0, SINT: 1, UINT: 2, FLOAT: 3, DOUBLE: 4, STRING: 5 } as const;

/** Length prefixes and special string encodings (rdb.h RDB_6BITLEN ... RDB_ENC_LZF). */
export const LEN_32BIT = 0x80;
export const LEN_64BIT = 0x81;
export const ENC_INT8 = 0;
export const ENC_INT16 = 1;
export const ENC_INT32 = 2;
export const ENC_LZF = 3;

/** quicklist 2 node containers (quicklist.h). */
export const QUICKLIST_PLAIN = 1;
export const QUICKLIST_PACKED = 2;

/** Stream IDs are two big-endian 64-bit integers: 16 raw bytes in node keys and PELs. */
export const STREAM_ID_BYTES = 16;
