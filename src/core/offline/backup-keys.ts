import { open, stat } from 'node:fs/promises';
import { GridctlError } from '../errors.js';
import { ArchiveReader } from '../backup/archive-reader.js';
import { forEachRecord } from '../backup/record-codec.js';
import { KeyMemoryModel } from '../memory/estimate/key-memory.js';
import { profileFor, serverProfile } from '../memory/estimate/server-profile.js';
import { DumpPayloadReader } from '../rdb/dump-payload.js';
import { fileSource } from '../rdb/file-source.js';
import { RdbParser } from '../rdb/parser.js';
import type { ValueInfo } from '../rdb/value-info.js';
import type { BackupFiles, BackupPart } from './backup-files.js';

/** One key of a backup, as it streams past (reused: copy what you keep). */
export interface BackupKey {
  keyBytes: Buffer;
  keyLength: number;
  /** Database number (RDB files; archives hold database 0). */
  db: number;
  /** Absolute expiry (ms since the epoch), -1 = none. */
  expireAt: number;
  /** The expiry had passed when the backup was taken: a server loading it would drop the key. */
  expired: boolean;
  /** Milliseconds from the backup's time to the expiry (-1 = no TTL). */
  ttlMs: number;
  value: ValueInfo;
  /** MEMORY USAGE estimates: [bundled jemalloc (8-byte classes), system jemalloc (16-byte classes)]. */
  bytes: Float64Array;
  /** OBJECT ENCODING when it was saved. */
  encoding: string;
  /** Index of the backup file it is in. */
  part: number;
}

/** What each file of a backup is and says about itself. */
export interface PartFacts {
  file: string;
  kind: 'rdb' | 'gbk';
  bytes: number;
  master?: string;
  engine: 'redis' | 'valkey';
  serverVersion: string;
  /** RDB files: the format version in the header; archives: the RDB version of the DUMP payloads. */
  rdbVersion?: number;
  /** When the backup was taken (RDB aux ctime, archive start), ISO 8601. */
  savedAt: string;
  /** How the content was verified: the RDB's CRC-64, or the archive's frame CRCs and SHA-256 (and each payload's CRC-64). */
  checksum: 'verified' | 'disabled' | 'absent';
  keys: number;
  expiredKeys: number;
  /** The server's used_memory when it wrote the RDB (aux used-mem). */
  usedMemory?: number;
  notes: string[];
}

export interface ReadOptions {
  keyMaterial?: Buffer;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/**
 * Every key of a backup (RDB files or a gridctl archive), in file order, with what its value is
 * and what it would take in memory. Memory stays bounded by the readers' windows and frames.
 */
export async function readBackupKeys(files: BackupFiles, onKey: (key: BackupKey) => void, opts: ReadOptions = {}): Promise<PartFacts[]> {
  const total = files.parts.reduce((s, p) => s + p.bytes, 0);
  let done = 0;
  const facts: PartFacts[] = [];
  for (let i = 0; i < files.parts.length; i++) {
    const part = files.parts[i]!;
    const progress = (offset: number) => opts.onProgress?.(done + offset, total);
    try {
      facts.push(part.kind === 'rdb' ? await readRdbPart(part, i, onKey, progress) : await readArchivePart(part, i, onKey, progress, opts.keyMaterial, files.serverVersion));
    } catch (err) {
      throw namingFile(err, part.file);
    }
    done += part.bytes;
    opts.onProgress?.(done, total);
  }
  return facts;
}

/** The readers' errors speak of "the file": say which one (a diff reads two, a manifest names several). */
function namingFile(err: unknown, file: string): unknown {
  if (!(err instanceof GridctlError) || err.message.includes(file)) return err;
  return new GridctlError(err.code, `${file}: ${err.message}`, {
    exitCode: err.exitCode,
    cause: err,
    ...(err.hint ? { hint: err.hint } : {}),
    details: { ...err.details, file },
  });
}

async function readRdbPart(part: BackupPart, index: number, onKey: (key: BackupKey) => void, progress: (offset: number) => void): Promise<PartFacts> {
  const handle = await open(part.file, 'r');
  try {
    const mtime = (await stat(part.file)).mtimeMs;
    let savedAtMs = Number.NaN;
    // eslint-disable-next-line prefer-const
    let parser: RdbParser;
    const model = new KeyMemoryModel(() => serverProfile(parser.fileFacts.aux));
    const key: BackupKey = { keyBytes: Buffer.alloc(0), keyLength: 0, db: 0, expireAt: -1, expired: false, ttlMs: -1, value: undefined as unknown as ValueInfo, bytes: new Float64Array(2), encoding: '', part: index };
    parser = new RdbParser(
      fileSource(handle),
      (k) => {
        if (Number.isNaN(savedAtMs)) savedAtMs = Number(parser.fileFacts.aux.ctime) * 1000 || mtime;
        key.keyBytes = k.keyBytes;
        key.keyLength = k.keyLength;
        key.db = k.db;
        key.expireAt = k.expireAt;
        key.expired = k.expireAt !== -1 && k.expireAt <= savedAtMs;
        key.ttlMs = k.expireAt === -1 ? -1 : Math.max(0, k.expireAt - savedAtMs);
        key.value = k.value;
        key.bytes[0] = model.estimate(k.keyLength, k.value, 0);
        key.bytes[1] = model.estimate(k.keyLength, k.value, 1);
        key.encoding = model.encodingOf(k.value);
        onKey(key);
      },
      { observer: model, onProgress: progress },
    );
    const f = await parser.run();
    const aux = f.aux;
    const profile = serverProfile(aux);
    const usedMemory = Number(aux['used-mem']);
    return {
      file: part.file,
      kind: 'rdb',
      bytes: part.bytes,
      ...(part.master ? { master: part.master } : {}),
      engine: profile.engine,
      serverVersion: aux['valkey-ver'] ?? aux['redis-ver'] ?? 'unknown',
      rdbVersion: f.header.version,
      savedAt: new Date(Number(aux.ctime) * 1000 || mtime).toISOString(),
      checksum: f.checksum,
      keys: f.keys,
      expiredKeys: f.expiredKeys,
      ...(Number.isFinite(usedMemory) && usedMemory > 0 ? { usedMemory } : {}),
      notes: rdbNotes(f),
    };
  } finally {
    await handle.close();
  }
}

function rdbNotes(f: RdbParser['fileFacts']): string[] {
  const notes = [...f.notes];
  const modules = Object.entries(f.moduleValues);
  if (modules.length) notes.push(`module values passed over (counted as type other, sized by their stored bytes): ${modules.map(([m, n]) => `${m} ×${n}`).join(', ')}`);
  if (f.moduleAux.length) notes.push(`module aux data passed over: ${[...new Set(f.moduleAux)].join(', ')}`);
  if (f.functionLibraries) notes.push(`${f.functionLibraries} function libraries passed over`);
  if (f.keysWithMetadata) notes.push(`${f.keysWithMetadata} keys carried KEY_META module metadata, passed over`);
  if (f.slotImports) notes.push(`${f.slotImports} Valkey slot-import records passed over`);
  return notes;
}

async function readArchivePart(
  part: BackupPart,
  index: number,
  onKey: (key: BackupKey) => void,
  progress: (offset: number) => void,
  keyMaterial: Buffer | undefined,
  manifestVersion: string | undefined,
): Promise<PartFacts> {
  const reader = await ArchiveReader.open(part.file, keyMaterial ? { keyMaterial } : {});
  try {
    const header = reader.header as typeof reader.header & { engine?: string };
    const engine = header.engine === 'valkey' ? 'valkey' : 'redis';
    const serverVersion = header.serverVersion || manifestVersion || 'unknown';
    const model = new KeyMemoryModel(profileFor(engine, serverVersion));
    const payloads = new DumpPayloadReader(model);
    const savedAtMs = Date.parse(header.startedAt);
    const key: BackupKey = { keyBytes: Buffer.alloc(0), keyLength: 0, db: 0, expireAt: -1, expired: false, ttlMs: -1, value: undefined as unknown as ValueInfo, bytes: new Float64Array(2), encoding: '', part: index };
    let keys = 0;
    let expiredKeys = 0;
    let rdbVersion: number | undefined;
    for await (const frame of reader.frames()) {
      forEachRecord(frame.raw, frame.firstRecord, (r, i) => {
        const payloadStart = r.payload.byteOffset - frame.raw.byteOffset;
        const value = payloads.read(frame.raw, payloadStart, payloadStart + r.payload.length, `record #${i} (key ${JSON.stringify(r.key.subarray(0, 80).toString('utf8'))}) in frame ${frame.index} at byte ${frame.offset}`);
        rdbVersion ??= r.payload.readUInt16LE(r.payload.length - 10);
        key.keyBytes = r.key;
        key.keyLength = r.key.length;
        key.expireAt = r.expireAt;
        key.expired = r.expireAt !== -1 && r.expireAt <= savedAtMs;
        key.ttlMs = r.expireAt === -1 ? -1 : Math.max(0, r.expireAt - savedAtMs);
        key.value = value;
        key.bytes[0] = model.estimate(r.key.length, value, 0);
        key.bytes[1] = model.estimate(r.key.length, value, 1);
        key.encoding = model.encodingOf(value);
        keys++;
        if (key.expired) expiredKeys++;
        onKey(key);
      });
      progress(frame.offset);
    }
    return {
      file: part.file,
      kind: 'gbk',
      bytes: part.bytes,
      ...(part.master ? { master: part.master } : {}),
      engine,
      serverVersion,
      ...(rdbVersion !== undefined ? { rdbVersion } : {}),
      savedAt: new Date(savedAtMs).toISOString(),
      checksum: 'verified',
      keys,
      expiredKeys,
      notes: reader.encrypted ? ['encrypted archive (AES-256-GCM), decrypted with the key file'] : [],
    };
  } finally {
    await reader.close();
  }
}
