import type { LintContext } from '../context.js';
import type { AclUnit, ServerUnit } from '../model.js';
import type { RuleMeta, Severity } from '../types.js';

/** Everything a rule may look at: every checked server (data nodes and sentinels), ACL files, context. */
export interface RuleInput {
  servers: ServerUnit[];
  acls: AclUnit[];
  ctx: LintContext;
}

export type Report = (at: { file: string; line: number }, message: string, severity?: Severity) => void;

export interface Rule extends RuleMeta {
  check(input: RuleInput, report: Report): void;
}

const DOCS = 'https://redis.io/docs/latest/operate/oss_and_stack/management';
export const DOC = {
  security: `${DOCS}/security/`,
  acl: `${DOCS}/security/acl/`,
  tls: `${DOCS}/security/encryption/`,
  persistence: `${DOCS}/persistence/`,
  admin: `${DOCS}/admin/`,
  eviction: 'https://redis.io/docs/latest/develop/reference/eviction/',
  replication: `${DOCS}/replication/`,
  sentinel: `${DOCS}/sentinel/`,
  scaling: `${DOCS}/scaling/`,
  config: `${DOCS}/config/`,
  latency: `${DOCS}/optimization/latency-monitor/`,
} as const;

export const dataNodes = (input: RuleInput) => input.servers.filter((s) => s.kind === 'redis');
export const sentinels = (input: RuleInput) => input.servers.filter((s) => s.kind === 'sentinel');

/** Where to point a finding about a directive: its line, or the top of the main file when absent. */
export function at(s: ServerUnit, key: string): { file: string; line: number } {
  const d = s.eff.get(key);
  return d ? { file: d.file, line: d.line } : { file: s.conf.file, line: 0 };
}
