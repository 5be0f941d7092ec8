import { GridctlError } from '../errors.js';
import { minServerForRdb } from '../backup/dump-payload.js';
import { describeServer, type Engine, type ServerIdentity } from './server-identity.js';

/** What is known of a backup's origin (the manifest, the archive header, the DUMP trailer or RDB header). */
export interface BackupOrigin {
  engine?: Engine;
  version?: string;
  rdbVersion: number;
}

export interface LoadVerdict {
  ok: boolean;
  /** Why not (or, when ok, a caveat such as "the target's RDB version is unknown"). */
  reason?: string;
  /** The way out when refused. */
  hint?: string;
}

/** RDB versions 80 and up are Valkey's own (9.0+); 12-79 are Redis 7.4+'s, which Valkey never reads. */
const VALKEY_OWN = 80;
/** The oldest Valkey writing each of its own RDB versions (below 80 Valkey writes Redis 7.2's 11). */
const FIRST_VALKEY: Record<number, string> = { 80: '9.0', 81: '9.2' };

function origin(b: BackupOrigin): string {
  const from = b.version ? `${b.engine ? describeServer({ engine: b.engine, version: b.version }) : `server ${b.version}`}, ` : '';
  return `the backup (${from}RDB version ${b.rdbVersion})`;
}

/**
 * Can `target` load a backup whose newest record or file is `b.rdbVersion`? A server reads its own
 * RDB version and older ones; Valkey reads Redis formats up to 11 (7.2) and its own 80+; no Redis
 * reads Valkey's 80+. Pure: the restore pre-flight calls it before writing anything.
 */
export function canLoad(b: BackupOrigin, target: ServerIdentity): LoadVerdict {
  const t = describeServer(target);
  const v = b.rdbVersion;
  if (target.rdbVersion === undefined) {
    // An unstable build: RDB 11 (Redis 7.2) is what every Redis and Valkey since reads; past that a refusal beats keys failing one by one.
    if (v <= 11) return { ok: true, reason: `${t} is a build whose RDB version gridctl cannot tell; RDB ${v} is read by every server since Redis 7.2` };
    return { ok: false, reason: `${origin(b)} may not load into ${t}, a build whose RDB version gridctl cannot tell (only RDB 11 and older are known to load everywhere)`, hint: 'restore into a released server of the backup\'s version, or newer' };
  }
  if (v >= VALKEY_OWN && target.engine === 'redis') {
    return { ok: false, reason: `${origin(b)} is in Valkey 9's format, which no Redis reads; the target runs ${t}`, hint: `restore into Valkey ${FIRST_VALKEY[v] ?? '9.0'} or newer` };
  }
  if (v > 11 && v < VALKEY_OWN && target.engine === 'valkey') {
    return {
      ok: false,
      reason: `${origin(b)} is in Redis ${minServerForRdb(v)}+'s format (hash-field expiry and other Redis-only encodings), which Valkey does not read; the target runs ${t}, which reads RDB 11 and Valkey's own versions`,
      hint: `restore into Redis ${minServerForRdb(v)} or newer`,
    };
  }
  const reads = target.engine === 'valkey' && target.rdbVersion >= VALKEY_OWN ? v <= 11 || v <= target.rdbVersion : v <= target.rdbVersion;
  if (reads) return { ok: true };
  const first = v >= VALKEY_OWN ? `Valkey ${FIRST_VALKEY[v] ?? '9.0'}` : `Redis ${minServerForRdb(v)}`;
  return { ok: false, reason: `${origin(b)} is newer than the target ${t} reads (RDB version ${target.rdbVersion} at most)`, hint: `upgrade the target to ${first} or newer, or restore into a server of that version` };
}

/** canLoad for every target node (the oldest decides), as the one refusal restore throws: exit 3, nothing written. */
export function assertCanLoad(b: BackupOrigin, targets: Array<ServerIdentity & { address: string }>): void {
  for (const target of targets) {
    const verdict = canLoad(b, target);
    if (verdict.ok) continue;
    throw new GridctlError('USAGE', `${verdict.reason} (node ${target.address}); nothing was written`, {
      hint: verdict.hint,
      details: { backup: b, target: { engine: target.engine, version: target.version, rdbVersion: target.rdbVersion, address: target.address } },
    });
  }
}
