import type { NamespaceConfig } from '../config/schema.js';

export const OTHER_NAMESPACE = '(other)';

/**
 * Assigns a key to the first gridctl.yaml namespace pattern it matches (`user:session:{id}`),
 * for the manifest's per-namespace counts. Patterns are bucketed by their literal first segment so
 * a million keys cost one Map lookup and a regex or two each, not one regex per pattern.
 */
export class NamespaceMatcher {
  private readonly byPrefix = new Map<string, Array<{ pattern: string; re: RegExp }>>();
  private readonly wildcardFirst: Array<{ pattern: string; re: RegExp }> = [];

  constructor(namespaces: ReadonlyArray<Pick<NamespaceConfig, 'pattern'>>) {
    for (const { pattern } of namespaces) {
      const source = pattern
        .split(/(\{[^}]*\})/)
        .map((part) => (/^\{[^}]*\}$/.test(part) ? '[\\s\\S]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('');
      const entry = { pattern, re: new RegExp(`^${source}$`) };
      const first = pattern.split(':')[0]!;
      if (first.includes('{')) {
        this.wildcardFirst.push(entry);
        continue;
      }
      const list = this.byPrefix.get(first) ?? [];
      list.push(entry);
      this.byPrefix.set(first, list);
    }
  }

  /** The namespace pattern for a key (binary keys are read as latin1), or "(other)". */
  match(key: string): string {
    const colon = key.indexOf(':');
    const list = this.byPrefix.get(colon < 0 ? key : key.slice(0, colon));
    if (list) for (const e of list) if (e.re.test(key)) return e.pattern;
    for (const e of this.wildcardFirst) if (e.re.test(key)) return e.pattern;
    return OTHER_NAMESPACE;
  }
}
