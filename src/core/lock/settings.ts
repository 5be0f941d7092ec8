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

/** Where `lock release --force` appends its audit records unless gridctl.yaml or GRIDCTL_AUDIT_LOG says otherwise. */
function defaultAuditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRIDCTL_AUDIT_LOG) return path.resolve(env.GRIDCTL_AUDIT_LOG);
  const stateHome = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(stateHome, 'gridctl', 'audit.jsonl');
}

export function resolveLockSettings(config: LockConfig | undefined, env: NodeJS.ProcessEnv = process.env, configDir = process.cwd()): LockSettings {
  return {
    patterns: config?.patterns ?? DEFAULT_LOCK_PATTERNS,
    prefix: config?.prefix ?? DEFAULT_LOCK_PREFIX,
    expiringBelowMs: config?.expiringBelow ? parseDuration(config.expiringBelow, 'lock.expiringBelow') : DEFAULT_EXPIRING_BELOW_MS,
    // The environment wins over the file so a test or a one-off run can redirect the log.
    auditLog: env.GRIDCTL_AUDIT_LOG ? path.resolve(env.GRIDCTL_AUDIT_LOG) : config?.auditLog ? path.resolve(configDir, config.auditLog) : defaultAuditLogPath(env),
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
