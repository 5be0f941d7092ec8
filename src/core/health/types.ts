import type { Coverage } from '../redis/coverage.js';
import type { NodeRole } from '../redis/deployment.js';

export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

/** One check: what was measured, against what, and the verdict. */
export interface HealthCheck {
  /** Stable id, e.g. "latency", "memory", "replication". */
  check: string;
  status: CheckStatus;
  /** Human-readable measured value, e.g. "p50 0.12ms p99 0.31ms". */
  value: string;
  /** The threshold it was judged against, e.g. "< 1ms". */
  threshold?: string;
  /** Why the status is not PASS, or extra detail. */
  detail?: string;
  /** Numeric measurements for --format prometheus and scripts, e.g. { p99_seconds: 0.0003 }. */
  metrics?: Record<string, number>;
}

export interface NodeHealth {
  address: string;
  role: NodeRole;
  checks: HealthCheck[];
}

export interface HealthSummary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  /** Worst status across all checks. */
  status: 'PASS' | 'WARN' | 'FAIL';
}

export interface HealthReport {
  topology: 'standalone' | 'sentinel' | 'cluster';
  /** What the checks covered: topology, data nodes, and whether that is the whole deployment. */
  coverage: Coverage;
  source: string;
  checkedAt: string;
  tls: boolean;
  nodes: NodeHealth[];
  /** Checks about the deployment as a whole (cluster slots, sentinel agreement, streams, pub/sub). */
  deployment: HealthCheck[];
  summary: HealthSummary;
}

export function summarize(checks: HealthCheck[]): HealthSummary {
  const s: HealthSummary = { pass: 0, warn: 0, fail: 0, skip: 0, status: 'PASS' };
  for (const c of checks) {
    if (c.status === 'PASS') s.pass++;
    else if (c.status === 'WARN') s.warn++;
    else if (c.status === 'FAIL') s.fail++;
    else s.skip++;
  }
  s.status = s.fail ? 'FAIL' : s.warn ? 'WARN' : 'PASS';
  return s;
}
