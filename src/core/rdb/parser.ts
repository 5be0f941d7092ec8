import { GridctlError } from '../errors.js';
import { Crc64, storedCrcHex } from './crc64.js';
import type { DecodeContext, ValueDecoder } from './decoders/decoder.js';
import { DecoderSet } from './decoders/registry.js';
import { OP } from './format.js';
import { HEADER_BYTES, parseHeader, type RdbHeader } from './header.js';
import { isNeedMore, RdbInput, type ByteSource, type InputOptions } from './input.js';
import { LIMITS, LONG_KEY_PREFIX } from './limits.js';
import { MetaDecoder, type RdbFileFacts } from './opcodes.js';
import { RDB_DAMAGE_HINT, rdbIntegrity } from './rdb-error.js';
import { readLen, readString, STR_RAW, stringBytes, stringHead, StrRef } from './strings.js';
import { NO_OBSERVER, ValueInfo, type ValueObserver } from './value-info.js';

/** One key as it streams past. Reused for every key: copy what you keep. */
export interface RdbKey {
  db: number;
  /** The key's bytes in a buffer reused for the next key: `keyBytes.subarray(0, keyLength)`. */
  keyBytes: Buffer;
  keyLength: number;
  /** The key was longer than LIMITS.key: keyBytes holds its first bytes only; this is its real length. */
  fullKeyLength: number;
  /** Absolute expiry in ms since the epoch, -1 = none. */
  expireAt: number;
  /** LRU idle seconds / LFU frequency when the file carries them, else -1. */
  idle: number;
  freq: number;
  /** Offset of the key's first record (its expiry or type byte). */
  offset: number;
  value: ValueInfo;
}

export interface ParseOptions extends InputOptions {
  /** Told about every element and blob of every value (a memory model's sums). */
  observer?: ValueObserver;
  /** Called with the absolute offset about every `progressBytes`. */
  onProgress?: (offset: number) => void;
  progressBytes?: number;
}

const enum State {
  Record,
  Meta,
  Key,
  Value,
  Done,
}

/**
 * A streaming RDB parser: it reads a file (or stream) front to back in a bounded window, calls
 * `onKey` for every key with what its value is (type, encoding, elements, sizes), verifies the
 * CRC-64 at the end, and returns what else the file holds. Every problem is a GridctlError naming
 * its byte offset: INTEGRITY (exit 6) for damage, never a crash, a hang or a silent skip.
 */
export class RdbParser {
  private readonly input: RdbInput;
  private readonly crc = new Crc64();
  private readonly ref = new StrRef();
  private readonly info = new ValueInfo();
  private readonly key: RdbKey;
  private header!: RdbHeader;
  private facts!: RdbFileFacts;
  private decoders!: DecoderSet;
  private meta!: MetaDecoder;
  private ctx!: DecodeContext;
  private state = State.Record;
  private decoder: ValueDecoder | undefined;
  private valueStart = 0;
  private hasKeyMeta = false;
  private savedAtMs: number | undefined;

  constructor(
    source: ByteSource,
    private readonly onKey: (key: RdbKey) => void,
    private readonly opts: ParseOptions = {},
  ) {
    this.input = new RdbInput(source, this.crc, undefined, opts);
    this.key = { db: 0, keyBytes: Buffer.allocUnsafe(256), keyLength: 0, fullKeyLength: 0, expireAt: -1, idle: -1, freq: -1, offset: 0, value: this.info };
  }

  /** What the file has said about itself so far (aux fields come before the keys). */
  get fileFacts(): RdbFileFacts {
    return this.facts;
  }

  async run(): Promise<RdbFileFacts> {
    const inp = this.input;
    while (inp.available < HEADER_BYTES && (await inp.refill()));
    this.header = parseHeader(inp.buf.subarray(inp.pos, Math.min(inp.end, inp.pos + HEADER_BYTES)));
    inp.pos += HEADER_BYTES;
    inp.commit();
    this.facts = {
      header: this.header, aux: {}, databases: [], keys: 0, expiredKeys: 0, moduleAux: [], moduleValues: {}, functionLibraries: 0,
      slotInfoRecords: 0, keysWithMetadata: 0, slotImports: 0, checksum: 'absent', bytes: 0, trailingBytes: 0, notes: [...this.header.notes],
    };
    this.decoders = new DecoderSet(this.header.engine);
    this.meta = new MetaDecoder(this.facts);
    this.ctx = { header: this.header, observer: this.opts.observer ?? NO_OBSERVER, ref: this.ref };
    const step = this.opts.progressBytes ?? 8 << 20;
    let nextProgress = step;
    for (;;) {
      try {
        this.parse();
        break;
      } catch (err) {
        if (!isNeedMore(err)) throw err;
      }
      if (!(await inp.refill())) throw this.truncated();
      if (this.opts.onProgress && inp.markOffset >= nextProgress) {
        nextProgress = inp.markOffset + step;
        this.opts.onProgress(inp.markOffset);
      }
    }
    await this.finish();
    return this.facts;
  }

  /** Parse records until the end or until the window runs out (NEED_MORE). */
  private parse(): void {
    const inp = this.input;
    for (;;) {
      switch (this.state) {
        case State.Record: {
          if (this.key.expireAt === -1 && this.key.idle === -1 && this.key.freq === -1 && !this.hasKeyMeta) this.key.offset = inp.offset;
          const at = inp.offset;
          const op = inp.u8();
          if (op < OP.KEY_META_OR_SLOT_IMPORT) {
            const decoder = this.decoders.get(op);
            if (!decoder) throw this.unknownType(op, at);
            this.info.reset(op);
            decoder.begin(this.info, this.ctx);
            this.ctx.observer.begin(op);
            this.decoder = decoder;
            this.state = State.Key;
          } else if (!this.keyAttribute(op)) {
            if (op === OP.EOF) {
              this.state = State.Done;
              inp.commit();
              return;
            }
            this.meta.begin(op, at);
            this.state = State.Meta;
          }
          inp.commit();
          break;
        }
        case State.Meta:
          if (this.meta.step(inp, this.ref) === 'key-meta') this.hasKeyMeta = true;
          this.state = State.Record;
          break;
        case State.Key:
          this.readKey();
          this.valueStart = inp.offset;
          this.state = State.Value;
          inp.commit();
          break;
        case State.Value:
          this.decoder!.step(inp, this.info, this.ctx);
          this.info.storedBytes = inp.offset - this.valueStart;
          this.emit();
          this.state = State.Record;
          break;
        case State.Done:
          return;
      }
    }
  }

  /** Opcodes that set something about the next key. */
  private keyAttribute(op: number): boolean {
    const inp = this.input;
    if (op === OP.EXPIRETIME_MS) this.key.expireAt = inp.i64le();
    else if (op === OP.EXPIRETIME) this.key.expireAt = inp.u32le() * 1000;
    else if (op === OP.FREQ) this.key.freq = inp.u8();
    else if (op === OP.IDLE) this.key.idle = readLen(inp);
    else return false;
    return true;
  }

  private readKey(): void {
    const inp = this.input;
    const ref = this.ref;
    readString(inp, ref, LIMITS.key);
    if (ref.kind === STR_RAW && ref.held) {
      if (ref.len > this.key.keyBytes.length) this.key.keyBytes = Buffer.allocUnsafe(Math.max(ref.len, this.key.keyBytes.length * 2));
      // A loop beats Buffer.copy's call overhead for the short names most keys have.
      const src = inp.buf;
      const dst = this.key.keyBytes;
      for (let i = 0, j = ref.start; i < ref.len; i++, j++) dst[i] = src[j]!;
      this.key.keyLength = this.key.fullKeyLength = ref.len;
      return;
    }
    const whole = stringBytes(inp, ref, LIMITS.key);
    const bytes = whole ?? stringHead(inp, ref, LONG_KEY_PREFIX);
    if (bytes.length > this.key.keyBytes.length) this.key.keyBytes = Buffer.allocUnsafe(Math.max(bytes.length, this.key.keyBytes.length * 2));
    bytes.copy(this.key.keyBytes, 0);
    this.key.keyLength = bytes.length;
    this.key.fullKeyLength = ref.len;
  }

  private emit(): void {
    const k = this.key;
    k.db = this.meta.db;
    this.meta.database(k.db).keys++;
    this.facts.keys++;
    if (k.expireAt !== -1 && k.expireAt < this.savedAt()) this.facts.expiredKeys++;
    if (this.hasKeyMeta) this.facts.keysWithMetadata++;
    if (this.info.encoding === 'module') this.facts.moduleValues[this.info.moduleType] = (this.facts.moduleValues[this.info.moduleType] ?? 0) + 1;
    this.onKey(k);
    k.expireAt = -1;
    k.idle = -1;
    k.freq = -1;
    this.hasKeyMeta = false;
  }

  /** When the file was written (aux "ctime", seconds), or -Infinity when it does not say (no key counts as expired). */
  private savedAt(): number {
    if (this.savedAtMs === undefined) {
      const ctime = Number(this.facts.aux.ctime);
      this.savedAtMs = Number.isFinite(ctime) && ctime > 0 ? ctime * 1000 : -Infinity;
    }
    return this.savedAtMs;
  }

  /** After the EOF opcode: the CRC-64 (RDB 5+), compared unless stored as 0 (rdbchecksum no). */
  private async finish(): Promise<void> {
    const inp = this.input;
    inp.feedCrc(inp.mark);
    if (this.header.version >= 5) {
      while (inp.available < 8) {
        if (!(await inp.refill())) throw rdbIntegrity('file ends inside the CRC-64 checksum after the EOF marker', inp.offset);
      }
      const at = inp.offset;
      const stored = inp.buf.subarray(inp.pos, inp.pos + 8);
      if (stored.every((b) => b === 0)) this.facts.checksum = 'disabled';
      else if (!this.crc.matchesLE(inp.buf, inp.pos)) {
        throw rdbIntegrity(`CRC-64 mismatch: the file says ${storedCrcHex(inp.buf, inp.pos)}, its content gives ${this.crc.hex()} (the file was modified or damaged)`, at);
      } else this.facts.checksum = 'verified';
      inp.pos += 8;
      inp.commit();
    }
    let trailing = inp.available;
    inp.pos = inp.end;
    inp.commit();
    while (await inp.refill()) {
      trailing += inp.available;
      inp.pos = inp.end;
      inp.commit();
    }
    this.facts.trailingBytes = trailing;
    this.facts.bytes = inp.offset - trailing;
    if (trailing) this.facts.notes.push(`${trailing} bytes after the RDB's checksum (an AOF tail?) were not read`);
    if (this.facts.checksum === 'disabled') this.facts.notes.push('the file was written with rdbchecksum no: its CRC-64 is 0 and could not be verified');
  }

  private truncated(): GridctlError {
    const inp = this.input;
    const end = inp.base + inp.end;
    const what =
      this.state === State.Record ? (this.facts.keys ? 'before the EOF marker' : 'before the first record')
      : this.state === State.Meta ? 'inside a metadata record'
      : this.state === State.Key ? 'inside a key name'
      : `inside the value of key ${JSON.stringify(this.key.keyBytes.subarray(0, Math.min(this.key.keyLength, 80)).toString('utf8'))} (${this.info.type}, ${this.info.encoding})`;
    const at = inp.markOffset;
    const from = this.state === State.Record ? '' : `, which starts at byte ${at}`;
    return new GridctlError('INTEGRITY', `truncated: the file ends at byte ${end}, ${what}${from}`, { hint: RDB_DAMAGE_HINT, details: { offset: at, fileBytes: end } });
  }

  private unknownType(op: number, at: number): GridctlError {
    const h = this.header;
    const newer = (h.engine === 'redis' && h.version >= 13) || (h.engine === 'valkey' && h.version >= 81);
    return rdbIntegrity(
      `unknown value type ${op} in a ${h.engine === 'valkey' ? 'VALKEY' : 'REDIS'} RDB ${h.version} file${newer ? ` (${h.writtenBy} may write types this gridctl does not know)` : ''}`,
      at,
      { rdbType: op },
    );
  }
}
