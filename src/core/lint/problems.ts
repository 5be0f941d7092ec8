/** A raw problem found while parsing, before the engine attaches the rule's metadata. */
export interface Problem {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}
