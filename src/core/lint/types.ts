/** Shared shapes of the linter: findings, locations, rule metadata. */

export type Severity = 'error' | 'warn' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  file: string;
  line: number;
  fix: string;
  docs: string;
  /** Set when gridctl.yaml re-levelled the rule: the reason written there. */
  overrideReason?: string;
}

/** A rule's catalog entry: what `--list-rules` and `--explain` print. */
export interface RuleMeta {
  id: string;
  severity: Severity;
  title: string;
  why: string;
  fix: string;
  docs: string;
}
