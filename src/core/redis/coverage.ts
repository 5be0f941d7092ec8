import type { Topology } from './spec.js';

export const CLUSTER_SLOTS = 16384;

/** A node the deployment lists but gridctl left out: a failed Cluster node that owns no slots. */
export interface ExcludedNode {
  address: string;
  role: 'master' | 'replica';
  flags: string[];
}

/**
 * What a report covers, so part of a deployment never reads as the whole of it: every live
 * command's report carries one, and a partial one is also said on stderr.
 */
export interface Coverage {
  /** What the deployment is (one Cluster node reached with --node-only is still "cluster"). */
  topology: Topology;
  /** The whole deployment, or one node of it (--node-only). */
  scope: 'deployment' | 'node';
  /** The data nodes the report covers (host:port). */
  nodes: string[];
  /** Those nodes hold all of the deployment's data. */
  complete: boolean;
  /** Why it is not complete, one sentence each (empty when complete). */
  gaps: string[];
  /** Cluster: slots the covered nodes serve, of 16384. */
  slots?: { covered: number; total: number };
  excluded: ExcludedNode[];
}

/** Slot ranges -> how many slots they hold. */
export function countSlots(ranges: ReadonlyArray<readonly [number, number]>): number {
  const seen = new Uint8Array(CLUSTER_SLOTS);
  let n = 0;
  for (const [a, b] of ranges) {
    for (let s = Math.max(0, a); s <= Math.min(CLUSTER_SLOTS - 1, b); s++) if (!seen[s]) (seen[s] = 1), n++;
  }
  return n;
}

/** A single node or Sentinel master: complete unless it was one node of a Cluster. */
export function singleNodeCoverage(topology: 'standalone' | 'sentinel', address: string): Coverage {
  return { topology, scope: 'deployment', nodes: [address], complete: true, gaps: [], excluded: [] };
}

/** One node of a Cluster reached alone (--node-only): partial by definition. `slots` when CLUSTER NODES could be read on it. */
export function nodeOnlyCoverage(address: string, slots?: number): Coverage {
  return {
    topology: 'cluster',
    scope: 'node',
    nodes: [address],
    complete: false,
    gaps: [`--node-only: covers ${address} alone, one node of a Cluster`],
    ...(slots !== undefined ? { slots: { covered: slots, total: CLUSTER_SLOTS } } : {}),
    excluded: [],
  };
}

/** A Cluster through its masters: complete when the covered masters serve every slot. */
export function clusterCoverage(
  masters: ReadonlyArray<{ address: string; slots?: Array<[number, number]> }>,
  covered: readonly string[],
  excluded: ExcludedNode[],
): Coverage {
  const use = new Set(covered);
  const slots = countSlots(masters.filter((m) => use.has(m.address)).flatMap((m) => m.slots ?? []));
  const gaps: string[] = [];
  const left = masters.filter((m) => !use.has(m.address) && (m.slots?.length ?? 0) > 0).map((m) => m.address);
  if (left.length) gaps.push(`master(s) not covered: ${left.join(', ')}`);
  if (slots < CLUSTER_SLOTS) gaps.push(`${CLUSTER_SLOTS - slots} of ${CLUSTER_SLOTS} slots are not covered`);
  return { topology: 'cluster', scope: 'deployment', nodes: [...covered], complete: gaps.length === 0, gaps, slots: { covered: slots, total: CLUSTER_SLOTS }, excluded };
}

/** The same coverage, narrowed to the nodes a command actually reached (health: some did not answer). */
export function withUnreached(coverage: Coverage, unreached: readonly string[]): Coverage {
  if (unreached.length === 0) return coverage;
  const nodes = coverage.nodes.filter((n) => !unreached.includes(n));
  return { ...coverage, nodes, complete: false, gaps: [...coverage.gaps, `unreachable: ${unreached.join(', ')}`] };
}

/** One line for stderr when a report is partial, undefined when it is complete. */
export function partialCoverageNote(coverage: Coverage | undefined): string | undefined {
  if (!coverage || coverage.complete) return undefined;
  return `partial: this covers ${coverage.nodes.length ? coverage.nodes.join(', ') : 'no node'} of the ${coverage.topology} deployment, not all of it: ${coverage.gaps.join('; ')}`;
}
