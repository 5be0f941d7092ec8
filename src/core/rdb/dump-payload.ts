import { crc64, storedCrcHex } from './crc64.js';
import type { DecodeContext } from './decoders/decoder.js';
import { DecoderSet } from './decoders/registry.js';
import { profileForPayload } from './payload-header.js';
import { isNeedMore, RdbInput } from './input.js';
import { rdbIntegrity } from './rdb-error.js';
import { StrRef } from './strings.js';
import { NO_OBSERVER, ValueInfo, type ValueObserver } from './value-info.js';

/** Bytes after a DUMP payload's value: a 2-byte little-endian RDB version and an 8-byte CRC-64. */
const DUMP_TRAILER_BYTES = 10;

/**
 * Reads DUMP payloads (a gridctl logical backup's records): the value's type byte and the value
 * in RDB format, then its RDB version and a CRC-64 of everything before the checksum. The same
 * decoders as the file parser, over a buffer that holds the whole payload: running out of bytes
 * here is damage. One reader per backup: it keeps a decoder set per engine.
 */
export class DumpPayloadReader {
  private readonly info = new ValueInfo();
  private readonly ref = new StrRef();
  private readonly decoders = { redis: new DecoderSet('redis'), valkey: new DecoderSet('valkey') };

  constructor(private readonly observer: ValueObserver = NO_OBSERVER) {}

  /**
   * Describe the payload at [start, end) of `buf`. `where` names it in errors (e.g. "record #12");
   * offsets in errors are relative to the payload's first byte.
   */
  read(buf: Buffer, start: number, end: number, where: string): ValueInfo {
    const len = end - start;
    if (len < DUMP_TRAILER_BYTES + 1) throw rdbIntegrity(`${where}: DUMP payload of ${len} bytes is too short`, 0, { record: where });
    const crcAt = end - 8;
    if (!crc64(buf, start, crcAt).matchesLE(buf, crcAt)) {
      throw rdbIntegrity(`${where}: DUMP payload CRC-64 mismatch (stored ${storedCrcHex(buf, crcAt)}, content gives ${crc64(buf, start, crcAt).hex()})`, len - 8, { record: where });
    }
    const version = buf.readUInt16LE(end - DUMP_TRAILER_BYTES);
    const header = profileForPayload(version);
    const type = buf[start]!;
    const decoder = this.decoders[header.engine].get(type);
    if (!decoder) throw rdbIntegrity(`${where}: unknown value type ${type} in a DUMP payload of RDB version ${version}`, 0, { record: where, rdbType: type });
    const inp = new RdbInput(undefined, undefined, buf.subarray(start + 1, end - DUMP_TRAILER_BYTES));
    const ctx: DecodeContext = { header, observer: this.observer, ref: this.ref };
    this.info.reset(type);
    decoder.begin(this.info, ctx);
    this.observer.begin(type);
    try {
      decoder.step(inp, this.info, ctx);
    } catch (err) {
      if (isNeedMore(err)) throw rdbIntegrity(`${where}: DUMP payload ends inside its ${this.info.type} value`, inp.offset + 1, { record: where });
      throw err;
    }
    if (inp.pos !== inp.end) throw rdbIntegrity(`${where}: ${inp.end - inp.pos} bytes left over after the ${this.info.type} value in its DUMP payload`, inp.offset + 1, { record: where });
    this.info.storedBytes = len - DUMP_TRAILER_BYTES - 1;
    return this.info;
  }
}
