import type { Rule } from './rules/rule.js';
import { cfgRules } from './rules/cfg.js';
import { netRules } from './rules/net.js';
import { authRules } from './rules/auth.js';
import { tlsRules } from './rules/tls.js';
import { perRules } from './rules/per.js';
import { memRules } from './rules/mem.js';
import { repRules } from './rules/rep.js';
import { senRules } from './rules/sen.js';
import { cluRules } from './rules/clu.js';
import { opsRules } from './rules/ops.js';
import { bootRule, liveRules } from './rules/live.js';
import type { RuleMeta } from './types.js';

/** Every file rule, in catalog order. */
export const FILE_RULES: Rule[] = [...cfgRules, ...netRules, ...authRules, ...tlsRules, ...perRules, ...memRules, ...repRules, ...senRules, ...cluRules, ...opsRules];

/** Every rule `--list-rules` shows: file rules plus the live-only ones. */
export function ruleCatalog(): RuleMeta[] {
  const strip = ({ id, severity, title, why, fix, docs }: RuleMeta): RuleMeta => ({ id, severity, title, why, fix, docs });
  return [...FILE_RULES.map(strip), ...liveRules.map(strip), strip(bootRule)].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

export function findRule(id: string): RuleMeta | undefined {
  const want = id.toUpperCase();
  return ruleCatalog().find((r) => r.id === want);
}
