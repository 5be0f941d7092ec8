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
  if (v >= 704) return 12;
  if (v >= 702) return 11;
  if (v >= 700) return 10;
  if (v >= 500) return 9;
  if (v >= 400) return 8;
  if (v >= 302) return 7;
  return 6;
}

/** The oldest Redis version that can RESTORE a payload of this RDB version (for messages). */
export function minServerForRdb(rdbVersion: number): string {
  const table: Record<number, string> = { 7: '3.2', 8: '4.0', 9: '5.0', 10: '7.0', 11: '7.2', 12: '7.4' };
  return table[rdbVersion] ?? `a version newer than 7.4 (RDB ${rdbVersion})`;
}
