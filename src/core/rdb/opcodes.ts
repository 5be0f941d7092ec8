import { GridctlError } from '../errors.js';
import { skipModuleItems, moduleTypeName } from './decoders/module-decoder.js';
import { MODULE_OP, OP } from './format.js';
import type { RdbHeader } from './header.js';
import type { RdbInput } from './input.js';
import { LIMITS } from './limits.js';
import { rdbIntegrity } from './rdb-error.js';
import { readLen, readLen64, readSmallString, readString, skipLen, stringBytes, type StrRef } from './strings.js';

/** What a file holds besides its keys: aux fields, databases, modules, functions, slot hints. */
export interface RdbFileFacts {
  header: RdbHeader;
  /** Aux fields (redis-ver, valkey-ver, ctime, used-mem, aof-base, repl-*...), as text. */
  aux: Record<string, string>;
  databases: Array<{ db: number; keys: number; sizeHint?: number; expiresHint?: number }>;
  keys: number;
  /** Keys whose expiry had already passed when the file was written (a server loading it drops them). */
  expiredKeys: number;
  /** Module types whose aux data was passed over, and module values (type 7) passed over. */
  moduleAux: string[];
  moduleValues: Record<string, number>;
  functionLibraries: number;
  slotInfoRecords: number;
  /** Redis 8.x: keys that carried KEY_META (module metadata) records, passed over. */
  keysWithMetadata: number;
  /** Valkey 9: slot import jobs (SLOT_IMPORT records), passed over. */
  slotImports: number;
  /** 'verified' against the trailing CRC-64, 'disabled' (stored as 0: rdbchecksum no), 'absent' (RDB < 5). */
  checksum: 'verified' | 'disabled' | 'absent';
  bytes: number;
  /** Bytes after the checksum (an AOF tail after an RDB preamble, say): not read. */
  trailingBytes: number;
  notes: string[];
}

/** What the metadata record just finished means to the key loop. */
export type MetaOutcome = 'record' | 'key-meta';

/**
 * Records that are not keys (rdb.c rdbLoadRioWithLoadingCtx), each resumable like a value:
 * AUX (two strings), SELECTDB and RESIZEDB (lengths), SLOT_INFO (slot, size, expires size),
 * MODULE_AUX (module id, when, then module items up to EOF), FUNCTION2 (one string: a library),
 * and 243: Redis 8.x KEY_META before a key (class count, then per class a 4-byte spec and module
 * items up to EOF) or, in a VALKEY file, SLOT_IMPORT (job name, range count, ranges).
 */
export class MetaDecoder {
  private op = 0;
  private phase = 0;
  private left = 0;
  /** Offset of the record's opcode byte (errors name it). */
  private at = 0;
  db = 0;

  constructor(private readonly facts: RdbFileFacts) {}

  begin(op: number, at: number): void {
    this.op = op;
    this.at = at;
    this.phase = 0;
  }

  /** Returns when the record is complete. */
  step(inp: RdbInput, ref: StrRef): MetaOutcome {
    const at = this.at;
    switch (this.op) {
      case OP.AUX: {
        const name = readSmallString(inp, ref, LIMITS.small, 'aux field name').toString('utf8');
        readString(inp, ref, LIMITS.small);
        const value = stringBytes(inp, ref, LIMITS.small);
        if (Object.keys(this.facts.aux).length < 200) this.facts.aux[name] = value ? value.toString('utf8') : `(${ref.len} bytes)`;
        inp.commit();
        return 'record';
      }
      case OP.SELECTDB:
        this.db = readLen(inp);
        inp.commit();
        return 'record';
      case OP.RESIZEDB: {
        const size = readLen(inp);
        const expires = readLen(inp);
        this.database(this.db, size, expires);
        inp.commit();
        return 'record';
      }
      case OP.SLOT_INFO:
        skipLen(inp);
        skipLen(inp);
        skipLen(inp);
        this.facts.slotInfoRecords++;
        inp.commit();
        return 'record';
      case OP.FUNCTION2:
        readString(inp, ref, 0);
        this.facts.functionLibraries++;
        inp.commit();
        return 'record';
      case OP.MODULE_AUX:
        return this.moduleAux(inp, ref, at);
      case OP.KEY_META_OR_SLOT_IMPORT:
        return this.facts.header.engine === 'valkey' ? this.slotImport(inp, ref) : this.keyMeta(inp, ref);
      case OP.FUNCTION_PRE_GA:
        throw new GridctlError('USAGE', `function library record of a Redis 7.0 release candidate at byte ${at}: this format is not supported`, {
          hint: 'load the file into Redis 7.0 GA or later and save it again',
          details: { offset: at },
        });
      default:
        throw rdbIntegrity(`unknown opcode ${this.op}`, at);
    }
  }

  database(db: number, sizeHint?: number, expiresHint?: number): { db: number; keys: number } {
    let entry = this.facts.databases.find((d) => d.db === db);
    if (!entry) {
      entry = { db, keys: 0 };
      this.facts.databases.push(entry);
    }
    if (sizeHint !== undefined) entry.sizeHint = sizeHint;
    if (expiresHint !== undefined) entry.expiresHint = expiresHint;
    return entry;
  }

  private moduleAux(inp: RdbInput, ref: StrRef, at: number): MetaOutcome {
    if (this.phase === 0) {
      const id = readLen64(inp);
      const whenOp = readLen(inp);
      readLen(inp);
      if (whenOp !== MODULE_OP.UINT) throw rdbIntegrity(`module aux data with a bad "when" opcode ${whenOp}`, at);
      this.facts.moduleAux.push(moduleTypeName(id));
      this.phase = 1;
      inp.commit();
    }
    skipModuleItems(inp, ref);
    return 'record';
  }

  private keyMeta(inp: RdbInput, ref: StrRef): MetaOutcome {
    if (this.phase === 0) {
      this.left = readLen(inp);
      this.phase = 1;
      inp.commit();
    }
    while (this.left > 0) {
      if (this.phase === 1) {
        inp.need(4);
        inp.pos += 4; // class spec: 4-character name, version, flags
        this.phase = 2;
        inp.commit();
      }
      skipModuleItems(inp, ref);
      this.left--;
      this.phase = 1;
    }
    return 'key-meta';
  }

  private slotImport(inp: RdbInput, ref: StrRef): MetaOutcome {
    if (this.phase === 0) {
      readString(inp, ref, 0);
      this.left = readLen(inp);
      this.phase = 1;
      inp.commit();
    }
    while (this.left > 0) {
      readLen(inp);
      readLen(inp);
      this.left--;
      inp.commit();
    }
    this.facts.slotImports++;
    return 'record';
  }
}
