import type { Coverage } from '../redis/coverage.js';
import type { CheckedFile } from './engine.js';
import type { Finding, RuleMeta } from './types.js';
import type { Engine } from '../compat/server-identity.js';

/** Outcome of booting one file with the real server (--boot). */
export interface BootResult {
  file: string;
  binary: string;
  version?: string;
  booted: boolean;
  /** Redis' own words when it refused, e.g. "Bad directive or wrong number of arguments". */
  reason?: string;
  /** Where Redis says the problem is, mapped back to the original file. */
  at?: { file: string; line: number };
  /** Set when the file could not be booted at all (e.g. redis-sentinel missing). */
  skipped?: string;
}

export interface LiveSummary {
  source: string;
  node: string;
  /** The live server's engine and its own version (compat/server-identity.ts). */
  engine?: Engine;
  version?: string;
  directivesCompared: number;
  usersCompared: number;
}

/** What `gridctl check` returns: `--json` prints exactly this; every other format is drawn from it. */
export interface CheckReport {
  target: string;
  files: CheckedFile[];
  findings: Finding[];
  boot?: BootResult[];
  live?: LiveSummary;
  /** --live: the server compared, and whether it is the whole deployment (one master of a Cluster is not). */
  coverage?: Coverage;
  summary: { files: number; errors: number; warnings: number; infos: number };
  /** Why the exit code is what it is (e.g. "2 warnings > --max-warnings 0"). */
  verdict: 'pass' | 'fail';
  failReason?: string;
}

export interface CatalogReport {
  rules: RuleMeta[];
}

export function summarise(findings: Finding[], files: number): CheckReport['summary'] {
  return {
    files,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

/** Exit rule: errors fail; warnings fail with --strict or above --max-warnings. */
export function verdictOf(summary: CheckReport['summary'], opts: { strict?: boolean; maxWarnings?: number }): Pick<CheckReport, 'verdict' | 'failReason'> {
  if (summary.errors > 0) return { verdict: 'fail', failReason: `${summary.errors} error(s)` };
  if (opts.strict && summary.warnings > 0) return { verdict: 'fail', failReason: `${summary.warnings} warning(s) with --strict` };
  if (opts.maxWarnings !== undefined && summary.warnings > opts.maxWarnings) return { verdict: 'fail', failReason: `${summary.warnings} warning(s) > --max-warnings ${opts.maxWarnings}` };
  return { verdict: 'pass' };
}
