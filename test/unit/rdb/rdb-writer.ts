import { crc64 } from '../../../src/core/rdb/crc64.js';

/** Builds small RDB files byte by byte for tests of formats no local server writes (RDB 13, VALKEY 80). */
export class RdbWriter {
  private readonly parts: Buffer[] = [];

  constructor(magic = 'REDIS0011') {
    this.raw(Buffer.from(magic, 'latin1'));
  }

  raw(b: Buffer | number[]): this {
    this.parts.push(Buffer.isBuffer(b) ? b : Buffer.from(b));
    return this;
  }

  byte(n: number): this {
    return this.raw([n]);
  }

  len(n: number): this {
    if (n < 64) return this.raw([n]);
    if (n < 16384) return this.raw([0x40 | (n >> 8), n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = 0x80;
    b.writeUInt32BE(n, 1);
    return this.raw(b);
  }

  str(s: string | Buffer): this {
    const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
    return this.len(b.length).raw(b);
  }

  i64(n: number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return this.raw(b);
  }

  aux(k: string, v: string): this {
    return this.byte(250).str(k).str(v);
  }

  /** EOF opcode and the CRC-64 of everything (or 8 zero bytes: rdbchecksum no). */
  end(checksum = true): Buffer {
    this.byte(255);
    const body = Buffer.concat(this.parts);
    const crc = Buffer.alloc(8);
    if (checksum) {
      const c = crc64(body);
      crc.writeUInt32LE(c.lo, 0);
      crc.writeUInt32LE(c.hi, 4);
    }
    return Buffer.concat([body, crc]);
  }
}
