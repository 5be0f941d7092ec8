import { MODULE_OP } from '../format.js';
import type { RdbInput } from '../input.js';
import { rdbIntegrity } from '../rdb-error.js';
import { readLen, readLen64, readString, type StrRef } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import type { DecodeContext, ValueDecoder } from './decoder.js';

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A module type's 9-character name from its 64-bit id (the low 10 bits are its encoding version). */
export function moduleTypeName(id: bigint): string {
  let rest = id >> 10n;
  let name = '';
  for (let i = 0; i < 9; i++) {
    name = NAME_CHARS[Number(rest & 63n)]! + name;
    rest >>= 6n;
  }
  return name;
}

/**
 * Pass over a run of module-serialised items up to its EOF (module 2 values, MODULE_AUX, Redis
 * 8.x KEY_META classes): each is a length-encoded opcode then an integer, a 4-byte float, an
 * 8-byte double or a string. One unit per item, so a large module string is streamed past.
 */
export function skipModuleItems(inp: RdbInput, ref: StrRef): void {
  for (;;) {
    const at = inp.offset;
    const op = readLen(inp);
    if (op === MODULE_OP.EOF) {
      inp.commit();
      return;
    }
    if (op === MODULE_OP.SINT || op === MODULE_OP.UINT) readLen64(inp);
    else if (op === MODULE_OP.FLOAT) inp.skip(4);
    else if (op === MODULE_OP.DOUBLE) inp.skip(8);
    else if (op === MODULE_OP.STRING) readString(inp, ref, 0);
    else throw rdbIntegrity(`unknown module value opcode ${op}`, at);
    inp.commit();
  }
}

/**
 * Module values (type 7, "module 2"): the module type id, then its items up to EOF. Read without
 * the module: the value is passed over and counted as type "other", named by its module type.
 */
export class ModuleDecoder implements ValueDecoder {
  private idRead = false;

  begin(info: ValueInfo): void {
    info.type = 'other';
    info.encoding = 'module';
    this.idRead = false;
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    if (!this.idRead) {
      info.moduleType = moduleTypeName(readLen64(inp));
      this.idRead = true;
      inp.commit();
    }
    skipModuleItems(inp, ctx.ref);
  }
}
