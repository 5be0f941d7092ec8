/**
 * Facts about Redis DUMP payloads. A payload ends with a 2-byte little-endian RDB version and
 * an 8-byte CRC-64; RESTORE refuses a payload whose RDB version is newer than the server's.
 */
export function payloadRdbVersion(payload: Buffer): number {
  if (payload.length < 10) return -1;
  return payload.readUInt16LE(payload.length - 10);
}

/** The newest RDB version a Redis server version writes (and so can RESTORE). */
export function maxRdbVersionFor(serverVersion: string): number {
  const [maj = 0, min = 0] = serverVersion.split('.').map((n) => Number(n));
  const v = maj * 100 + min;
  if (v >= 809) return 15;
  if (v >= 808) return 14;
  if (v >= 806) return 13;
  if (v >= 704) return 12; // 7.4 to 8.4 (the 8.0 milestones report 7.9.x)
  if (v >= 702) return 11;
  if (v >= 700) return 10;
  if (v >= 500) return 9;
  if (v >= 400) return 8;
  if (v >= 302) return 7;
  return 6;
}

/** The oldest Redis version that can RESTORE a payload of this RDB version (for messages). */
export function minServerForRdb(rdbVersion: number): string {
  const table: Record<number, string> = { 7: '3.2', 8: '4.0', 9: '5.0', 10: '7.0', 11: '7.2', 12: '7.4', 13: '8.6', 14: '8.8', 15: '8.9' };
  return table[rdbVersion] ?? `a version newer than 8.9 (RDB ${rdbVersion})`;
}

/**
 * Key type from the RDB object type byte a DUMP payload starts with (rdb.h RDB_TYPE_*), as an
 * archive type code (archive-format.ts KEY_TYPES). Spares the backup a TYPE call per key.
 */
const RDB_TYPE_TO_CODE: Record<number, number> = {
  0: 0, // string (HyperLogLog too)
  1: 1, 10: 1, 14: 1, 18: 1, // list: linked list, ziplist, quicklist, quicklist 2
  2: 2, 11: 2, 20: 2, // set: hashtable, intset, listpack
  3: 3, 5: 3, 12: 3, 17: 3, // zset: skiplist, zset2, ziplist, listpack
  4: 4, 9: 4, 13: 4, 16: 4, 22: 4, 23: 4, 24: 4, 25: 4, // hash: hashtable, zipmap, ziplist, listpack, with field TTLs
  15: 5, 19: 5, 21: 5, // stream listpacks 1..3
};
/** The same map as a 256-entry table: one indexed load per key on the backup's hot path. */
const TYPE_CODE_TABLE = new Uint8Array(256).fill(6);
for (const [rdbType, code] of Object.entries(RDB_TYPE_TO_CODE)) TYPE_CODE_TABLE[Number(rdbType)] = code;
export function typeCodeFromPayload(payload: Buffer): number {
  return payload.length ? TYPE_CODE_TABLE[payload[0]!]! : 6;
}
/** typeCodeFromPayload for a payload of `length` bytes at `offset` inside `buf` (no view needed). */
export function typeCodeAt(buf: Buffer, offset: number, length: number): number {
  return length > 0 ? TYPE_CODE_TABLE[buf[offset]!]! : 6;
}
