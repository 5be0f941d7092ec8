import type { MemoryAggregator } from './aggregator.js';
import { formatBytes } from './parse-size.js';
import { SEVERITIES, type Finding, type NamespaceStats, type NodeReport, type Severity } from './types.js';

export interface FindingInputs {
  namespaces: NamespaceStats[];
  aggregator: MemoryAggregator;
  nodes: NodeReport[];
  bigKeyBytes: number;
  bigKeyElements: number;
}

/**
 * Turn the aggregated keyspace into findings, worst first:
 * - critical: ephemeral keys (sessions, rate limits) or lock keys without a TTL: they leak, and a
 *   lock without TTL is held forever if its holder dies;
 * - warning: cache keys without TTL; store keys that eviction may remove (a TTL under a volatile-*
 *   policy, or any key under allkeys-*, when maxmemory is set); big keys; keys of the wrong type;
 * - info: keys that match no declared namespace.
 */
export function buildFindings(input: FindingInputs): Finding[] {
  const findings: Finding[] = [];
  const evicting = evictionPolicies(input.nodes);
  for (const ns of input.namespaces) {
    const noTtl = ns.keys - ns.ttl.withTtl;
    const examples = input.aggregator.examples(ns.name);
    if (noTtl > 0 && (ns.kind === 'ephemeral' || ns.kind === 'lock' || ns.kind === 'cache')) {
      const id = ns.kind === 'ephemeral' ? 'ephemeral-without-ttl' : ns.kind === 'lock' ? 'lock-without-ttl' : 'cache-without-ttl';
      const why = ns.kind === 'lock' ? 'a lock without TTL is never released if its holder dies' : ns.kind === 'ephemeral' ? 'they accumulate forever (leak)' : 'stale data is served forever and memory only grows';
      findings.push({
        id,
        severity: ns.kind === 'cache' ? 'warning' : 'critical',
        namespace: ns.name,
        keys: noTtl,
        message: `${noTtl} of ${ns.keys} ${ns.kind} keys in ${ns.name} have no TTL: ${why}`,
        examples: examples.noTtl,
      });
    }
    if (ns.kind === 'store' && evicting.length) {
      const volatile = evicting.some((p) => p.startsWith('volatile-'));
      const allkeys = evicting.some((p) => p.startsWith('allkeys-'));
      const exposed = allkeys ? ns.keys : volatile ? ns.ttl.withTtl : 0;
      if (exposed > 0) {
        findings.push({
          id: 'store-evictable',
          severity: 'warning',
          namespace: ns.name,
          keys: exposed,
          message: allkeys
            ? `${exposed} store keys in ${ns.name} can be evicted: maxmemory-policy ${evicting.join(',')} evicts any key`
            : `${exposed} store keys in ${ns.name} have a TTL under maxmemory-policy ${evicting.join(',')}: eviction may remove them before they expire`,
          examples: ns.biggestKeys.map((k) => k.key),
        });
      }
    }
    if (examples.wrongTypeCount > 0) {
      findings.push({
        id: 'type-mismatch',
        severity: 'warning',
        namespace: ns.name,
        keys: examples.wrongTypeCount,
        message: `${examples.wrongTypeCount} keys in ${ns.name} are not of the declared type`,
        examples: examples.wrongType,
      });
    }
  }
  const big = input.aggregator.bigKeys.sorted();
  if (input.aggregator.bigKeyCount > 0) {
    findings.push({
      id: 'big-key',
      severity: 'warning',
      keys: input.aggregator.bigKeyCount,
      message: `${input.aggregator.bigKeyCount} big keys (over ${formatBytes(input.bigKeyBytes)} or ${input.bigKeyElements} elements): slow to delete, migrate and replicate`,
      examples: big.slice(0, 5).map((k) => `${k.key} (${formatBytes(k.bytes)}, ${k.elements} elements)`),
    });
  }
  const undeclared = input.namespaces.filter((n) => !n.declared);
  const undeclaredKeys = undeclared.reduce((s, n) => s + n.keys, 0);
  if (undeclaredKeys > 0) {
    findings.push({
      id: 'undeclared-keys',
      severity: 'info',
      keys: undeclaredKeys,
      message: `${undeclaredKeys} keys match no declared namespace (${undeclared.length} prefix groups); declare them in gridctl.yaml namespaces`,
      examples: undeclared.slice(0, 5).map((n) => n.name),
    });
  }
  return findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** Policies of nodes that can actually evict (a policy other than noeviction and maxmemory set). */
function evictionPolicies(nodes: NodeReport[]): string[] {
  const set = new Set<string>();
  for (const n of nodes) if (n.maxmemoryPolicy && n.maxmemoryPolicy !== 'noeviction' && (n.maxmemory ?? 0) > 0) set.add(n.maxmemoryPolicy);
  return [...set].sort();
}

function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function worstSeverity(findings: Finding[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || severityRank(f.severity) > severityRank(worst)) worst = f.severity;
  return worst;
}

/** Do the findings reach the --fail-on level? */
export function reachesFailOn(findings: Finding[], failOn: Severity | 'never'): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}
