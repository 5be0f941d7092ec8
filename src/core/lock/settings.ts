import os from 'node:os';
import path from 'node:path';
import type { LockConfig } from '../config/schema-incident.js';
import { parseDuration } from '../duration.js';

/** The lock settings after merging gridctl.yaml with the defaults (DESIGN.md: `lock:{resource}`). */
export interface LockSettings {
  patterns: string[];
  prefix: string;
  expiringBelowMs: number;
  auditLog: string;
}

const DEFAULT_LOCK_PATTERNS = ['lock:*'];
const DEFAULT_LOCK_PREFIX = 'lock:';
const DEFAULT_EXPIRING_BELOW_MS = 5000;

/** The process state the settings depend on, handed in by the command layer. */
export interface LockEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  /** What GRIDCTL_AUDIT_LOG is relative to. */
  cwd: string;
  /** What gridctl.yaml's lock.auditLog is relative to. */
  configDir: string;
}

/** Where `lock release --force` appends its audit records unless gridctl.yaml or GRIDCTL_AUDIT_LOG says otherwise. */
function defaultAuditLogPath(env: LockEnvironment['env']): string {
  const stateHome = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(stateHome, 'gridctl', 'audit.jsonl');
}

export function resolveLockSettings(config: LockConfig | undefined, { env, cwd, configDir }: LockEnvironment): LockSettings {
  return {
    patterns: config?.patterns ?? DEFAULT_LOCK_PATTERNS,
    prefix: config?.prefix ?? DEFAULT_LOCK_PREFIX,
    expiringBelowMs: config?.expiringBelow ? parseDuration(config.expiringBelow, 'lock.expiringBelow') : DEFAULT_EXPIRING_BELOW_MS,
    // The environment wins over the file so a test or a one-off run can redirect the log.
    auditLog: env.GRIDCTL_AUDIT_LOG ? path.resolve(cwd, env.GRIDCTL_AUDIT_LOG) : config?.auditLog ? path.resolve(configDir, config.auditLog) : defaultAuditLogPath(env),
  };
}

/** NAME -> key: `order_matching:GRX` -> `lock:order_matching:GRX`; a NAME already carrying the prefix, or `--key`, is used as is. */
export function lockKeyFor(name: string, prefix: string, exactKey = false): string {
  if (exactKey || prefix === '' || name.startsWith(prefix)) return name;
  return prefix + name;
}

/** The resource part of a key, for display. */
export function resourceOf(key: string, prefix: string): string {
  return prefix && key.startsWith(prefix) ? key.slice(prefix.length) : key;
}
