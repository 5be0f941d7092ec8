import type { ServerUnit } from '../model.js';
import { dataNodes, sentinels, type RuleInput } from './rule.js';

/** Does this node belong to a replication group (it replicates, or the deployment has replicas)? */
export function inReplicationGroup(input: RuleInput, s: ServerUnit): boolean {
  return s.eff.has('replicaof') || hasReplicas(input, s) || input.ctx.topology?.kind === 'sentinel' || (s.eff.bool('cluster-enabled', false) && (input.ctx.topology?.replicas ?? 1) > 0);
}

/** Are replicas attached to this (master) node: another checked file replicates from it, or gridctl.yaml says so. */
export function hasReplicas(input: RuleInput, s: ServerUnit): boolean {
  if (s.eff.has('replicaof')) return false;
  const t = input.ctx.topology;
  if (t?.kind === 'sentinel') return (t.replicas ?? 2) > 0;
  if (t?.kind === 'cluster' && s.eff.bool('cluster-enabled', false)) return (t.replicas ?? 1) > 0;
  return dataNodes(input).some((o) => o !== s && o.eff.has('replicaof')) || sentinels(input).length > 0;
}
