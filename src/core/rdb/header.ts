import { GridctlError } from '../errors.js';
import { rdbIntegrity } from './rdb-error.js';

export type RdbEngine = 'redis' | 'valkey';

/** What the 9 bytes at the start of an RDB say: "REDIS" + 4 digits, or "VALKEY" + 3 digits (Valkey 9+). */
export interface RdbHeader {
  engine: RdbEngine;
  version: number;
  /** Which servers write this version, and what this parser does differently for it. */
  writtenBy: string;
  notes: string[];
}

export const HEADER_BYTES = 9;

interface VersionFacts {
  writtenBy: string;
  notes?: string[];
}

/**
 * The versions this parser reads. 5-8 predate the range it was built for (9-12) but use a subset
 * of the same types and opcodes; 13-15 and Valkey's 80-81 are accepted from what is known of them
 * (Redis 8.x rdb.h / Valkey 9 rdb.h): anything else they add stops the parse at its offset.
 */
const REDIS_VERSIONS: Record<number, VersionFacts> = {
  5: { writtenBy: 'Redis 3.0-3.2 era', notes: ['older than RDB 9: read with the same decoders (best effort)'] },
  6: { writtenBy: 'Redis 3.0-3.2 era', notes: ['older than RDB 9: read with the same decoders (best effort)'] },
  7: { writtenBy: 'Redis 3.2', notes: ['older than RDB 9: read with the same decoders (best effort)'] },
  8: { writtenBy: 'Redis 4.0', notes: ['older than RDB 9: read with the same decoders (best effort)'] },
  9: { writtenBy: 'Redis 5.0-6.2' },
  10: { writtenBy: 'Redis 7.0' },
  11: { writtenBy: 'Redis 7.2, Valkey 7.2-8.x' },
  12: { writtenBy: 'Redis 7.4-8.4', notes: ['hash field TTL types 22-25 and opcode 244 SLOT_INFO may appear'] },
  13: { writtenBy: 'Redis 8.6', notes: ['opcode 243 is KEY_META (module key metadata): read and passed over', 'types newer than 25 stop the parse with their offset'] },
  14: { writtenBy: 'Redis 8.8', notes: ['as RDB 13; types newer than 25 stop the parse with their offset'] },
  15: { writtenBy: 'Redis 8.9+', notes: ['as RDB 13; types newer than 25 stop the parse with their offset'] },
};

const VALKEY_VERSIONS: Record<number, VersionFacts> = {
  80: { writtenBy: 'Valkey 9.0', notes: ['type 22 is HASH_2 (per-field expiry), not Redis 7.4-rc HASH_METADATA', 'opcode 243 is SLOT_IMPORT (atomic slot migration state): read and passed over'] },
  81: { writtenBy: 'Valkey 9.x (9.1+)', notes: ['read as RDB 80; anything it adds stops the parse with its offset'] },
};

const READABLE_VERSIONS = 'REDIS 5-15, VALKEY 80-81';

export function parseHeader(bytes: Buffer): RdbHeader {
  if (bytes.length < HEADER_BYTES) throw rdbIntegrity(`file is ${bytes.length} bytes: too short for an RDB header`, 0);
  const text = bytes.subarray(0, HEADER_BYTES).toString('latin1');
  let engine: RdbEngine;
  let digits: string;
  if (text.startsWith('REDIS')) {
    engine = 'redis';
    digits = text.slice(5);
  } else if (text.startsWith('VALKEY')) {
    engine = 'valkey';
    digits = text.slice(6);
  } else {
    throw rdbIntegrity(`not an RDB file: wrong signature at byte 0 (${JSON.stringify(text.replace(/[^\x20-\x7e]/g, '.'))}, expected "REDIS" or "VALKEY" and a version)`, 0);
  }
  if (!/^\d+$/.test(digits)) throw rdbIntegrity(`not an RDB file: the version after "${engine === 'redis' ? 'REDIS' : 'VALKEY'}" is not a number (${JSON.stringify(digits)})`, engine === 'redis' ? 5 : 6);
  const version = Number(digits);
  const facts = (engine === 'redis' ? REDIS_VERSIONS : VALKEY_VERSIONS)[version];
  if (!facts) {
    if (engine === 'valkey' && version < 80) {
      throw rdbIntegrity(`RDB header ${JSON.stringify(text)}: Valkey writes the VALKEY signature only from version 80`, 0);
    }
    // A version this build does not know is newer (or older) than it, not damage: never "corrupt".
    const newer = engine === 'redis' ? version > 15 : version > 81;
    throw new GridctlError('USAGE', `RDB format ${text} is ${newer ? 'newer' : 'older'} than this gridctl reads (${READABLE_VERSIONS})`, {
      hint: newer ? "use a gridctl release that knows this format, or the server's own redis-check-rdb / valkey-check-rdb" : 'load it into a Redis server and take a new backup',
      details: { engine, rdbVersion: version },
    });
  }
  return { engine, version, writtenBy: facts.writtenBy, notes: facts.notes ?? [] };
}
