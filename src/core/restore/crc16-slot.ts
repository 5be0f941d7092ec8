/**
 * Redis Cluster key -> slot: CRC16-CCITT (XMODEM) of the key, or of its {hash tag} when the key has
 * a non-empty one, modulo 16384 (Redis Cluster spec). Works on raw bytes: keys are binary.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[i] = crc;
  }
  return t;
})();

export function crc16(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ buf[i]!) & 0xff]!;
  return crc;
}

export function keySlot(key: Buffer | string): number {
  const buf = typeof key === 'string' ? Buffer.from(key) : key;
  const open = buf.indexOf(0x7b); // '{'
  if (open >= 0) {
    const close = buf.indexOf(0x7d, open + 1); // '}'
    if (close > open + 1) return crc16(buf, open + 1, close) & 16383;
  }
  return crc16(buf) & 16383;
}
