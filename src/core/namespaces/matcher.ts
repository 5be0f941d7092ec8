import type { NamespaceConfig } from '../config/schema.js';

/** Where a key belongs: a declared namespace (its pattern is the name) or a prefix group. */
export interface NamespaceMatch {
  name: string;
  declared?: NamespaceConfig;
}

export interface MatcherOptions {
  /** Segments kept by the prefix fallback: depth 2 groups `a:b:c:d` under `a:b:*`. */
  prefixDepth: number;
  /**
   * Cap on distinct prefix groups. Undeclared keys with random prefixes could otherwise create one
   * group per key and break the promise that memory stays flat in the number of keys.
   */
  maxPrefixGroups?: number;
}

export const NO_PREFIX_GROUP = '(no prefix)';
export const OVERFLOW_GROUP = '(other undeclared)';

interface CompiledPattern {
  ns: NamespaceConfig;
  /** The literal text between placeholders (first = prefix, last = suffix, either may be empty). */
  literals: string[];
  /** Literal characters in the pattern: the more, the more specific. */
  literalLength: number;
  /** The answer for keys it matches (one object, not one per key). */
  match: NamespaceMatch;
  order: number;
}

const PLACEHOLDER = /\{[^{}]+\}/g;

/**
 * Matches keys to the namespaces of gridctl.yaml (patterns such as `user:profile:{user_id}`).
 * A placeholder matches one or more of any character, `:` included, because real ids contain
 * colons (rate_limit:api:{ip}:{endpoint} holds endpoints like /api/v1/orders:42). When several
 * patterns match, the most literal one wins (`settlement:pending` over `settlement:{id}`), then the
 * first declared. Keys that match nothing are grouped by prefix.
 */
export class NamespaceMatcher {
  private readonly exact = new Map<string, NamespaceMatch>();
  /** Lengths of the exact patterns: most keys skip the lookup (hashing a long key costs more than matching it). */
  private readonly exactLengths = new Set<number>();
  /** Placeholder patterns indexed by the first `:` segment of their literal prefix. */
  private readonly bySegment = new Map<string, CompiledPattern[]>();
  /** Placeholder patterns whose first segment is itself a placeholder: tried for every key. */
  private readonly leadingPlaceholder: CompiledPattern[] = [];
  private readonly prefixGroups = new Set<string>();
  private readonly groupMatches = new Map<string, NamespaceMatch>();
  private readonly prefixDepth: number;
  private readonly maxPrefixGroups: number;

  constructor(namespaces: readonly NamespaceConfig[], opts: MatcherOptions) {
    this.prefixDepth = Math.max(1, opts.prefixDepth);
    this.maxPrefixGroups = opts.maxPrefixGroups ?? 1000;
    namespaces.forEach((ns, order) => {
      if (!PLACEHOLDER.test(ns.pattern)) {
        PLACEHOLDER.lastIndex = 0;
        if (!this.exact.has(ns.pattern)) this.exact.set(ns.pattern, { name: ns.pattern, declared: ns });
        this.exactLengths.add(ns.pattern.length);
        return;
      }
      PLACEHOLDER.lastIndex = 0;
      const literals = ns.pattern.split(PLACEHOLDER);
      const compiled: CompiledPattern = { ns, literals, literalLength: literals.join('').length, match: { name: ns.pattern, declared: ns }, order };
      const prefix = literals[0]!;
      const colon = prefix.indexOf(':');
      if (colon < 0) {
        this.leadingPlaceholder.push(compiled);
        return;
      }
      const segment = prefix.slice(0, colon);
      const list = this.bySegment.get(segment) ?? [];
      list.push(compiled);
      this.bySegment.set(segment, list);
    });
    const bySpecificity = (a: CompiledPattern, b: CompiledPattern) => b.literalLength - a.literalLength || a.order - b.order;
    for (const list of this.bySegment.values()) list.sort(bySpecificity);
    this.leadingPlaceholder.sort(bySpecificity);
  }

  match(key: string): NamespaceMatch {
    const exact = this.exactLengths.has(key.length) ? this.exact.get(key) : undefined;
    if (exact) return exact;
    const colon = key.indexOf(':');
    if (colon >= 0) {
      const candidates = this.bySegment.get(key.slice(0, colon));
      if (candidates) for (const p of candidates) if (matchesLiterals(key, p.literals)) return p.match;
    }
    for (const p of this.leadingPlaceholder) if (matchesLiterals(key, p.literals)) return p.match;
    const group = this.prefixGroup(key);
    let match = this.groupMatches.get(group);
    if (!match) {
      match = { name: group };
      this.groupMatches.set(group, match);
    }
    return match;
  }

  /** `a:b:c` with depth 2 -> `a:b:*`; `a:b` -> `a:*`; `a` -> (no prefix). */
  prefixGroup(key: string): string {
    let end = -1;
    for (let i = 0; i < this.prefixDepth; i++) {
      const next = key.indexOf(':', end + 1);
      if (next < 0) break;
      end = next;
    }
    if (end < 0) return NO_PREFIX_GROUP;
    const group = `${key.slice(0, end)}:*`;
    if (this.prefixGroups.has(group)) return group;
    if (this.prefixGroups.size >= this.maxPrefixGroups) return OVERFLOW_GROUP;
    this.prefixGroups.add(group);
    return group;
  }
}

/**
 * Does `key` read as literals[0] + (1+ chars) + literals[1] + ... + literals[n]? Each middle
 * literal is taken at its earliest place (leaving every placeholder as short as possible is never
 * worse), so this is exact for placeholders that match any run of one or more characters.
 */
export function matchesLiterals(key: string, literals: readonly string[]): boolean {
  const first = literals[0]!;
  if (literals.length === 1) return key === first;
  const last = literals[literals.length - 1]!;
  if (!key.startsWith(first) || !key.endsWith(last)) return false;
  const suffixAt = key.length - last.length;
  let pos = first.length;
  for (let i = 1; i < literals.length - 1; i++) {
    const at = key.indexOf(literals[i]!, pos + 1);
    if (at < 0 || at + literals[i]!.length > suffixAt - 1) return false;
    pos = at + literals[i]!.length;
  }
  return suffixAt - pos >= 1;
}
