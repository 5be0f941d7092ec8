import { isPermissionError } from '../redis/errors.js';
import type { Redis } from 'ioredis';
import type { NodeInfo } from '../redis/deployment.js';
import type { ExcludedNode } from '../redis/coverage.js';
import type { SentinelView } from './node-checks.js';
import type { HealthCheck } from './types.js';
import { criticalCheck } from '../pubsub/critical.js';


/** All sentinels must name the same master; a split view means a failover is stuck or a partition. */
export function sentinelAgreementCheck(views: SentinelView[], reachable: number, total: number): HealthCheck {
  const masters = new Set(views.map((v) => v.masterAddress ?? 'none'));
  if (masters.size > 1) return { check: 'sentinel-agreement', status: 'FAIL', value: `sentinels disagree: ${[...masters].join(' vs ')}`, threshold: 'one master' };
  const status = reachable < Math.floor(total / 2) + 1 ? 'FAIL' : reachable < total ? 'WARN' : 'PASS';
  return { check: 'sentinel-agreement', status, value: `${reachable}/${total} sentinels reachable, master ${[...masters][0]}`, threshold: 'all sentinels agree' };
}

/** Masters without a healthy replica lose data on failure; nodes flagged fail/pfail are down. */
export function clusterTopologyCheck(nodes: NodeInfo[], excluded: readonly ExcludedNode[] = []): HealthCheck {
  const masters = nodes.filter((n) => n.role === 'master');
  const healthy = (n: NodeInfo) => !(n.flags ?? []).some((f) => f === 'fail' || f === 'fail?' || f === 'pfail');
  const lonely = masters.filter((m) => !nodes.some((r) => r.role === 'replica' && r.masterAddress === m.address && healthy(r)));
  const failing = nodes.filter((n) => !healthy(n));
  const status = failing.some((n) => n.role === 'master') ? 'FAIL' : lonely.length || failing.length || excluded.length ? 'WARN' : 'PASS';
  const parts = [`${masters.length} masters, ${nodes.length - masters.length} replicas`];
  if (lonely.length) parts.push(`without replica: ${lonely.map((m) => m.address).join(', ')}`);
  if (failing.length) parts.push(`failing: ${failing.map((n) => n.address).join(', ')}`);
  // A failed node that owns no slots (say, a master replaced by a failover) costs redundancy, not data.
  if (excluded.length) parts.push(`failed, owning no slots: ${excluded.map((n) => `${n.address} (${n.role}, ${n.flags.join(',')})`).join(', ')}`);
  const check: HealthCheck = { check: 'cluster-replicas', status, value: parts.join('; '), threshold: 'every master has a replica' };
  if (excluded.length) check.detail = 'restart the failed node (it rejoins as a replica) or remove it with CLUSTER FORGET on every node';
  return check;
}

/** Subscribers per channel, summed over the data nodes (a subscriber may sit on any cluster node). */
export async function pubsubChecks(dataClients: Redis[], listed: string[], critical: Array<{ channel: string; minSubscribers?: number }> = []): Promise<HealthCheck[]> {
  const channels = [...new Set([...listed, ...critical.map((k) => k.channel)])];
  if (!channels.length) return [];
  const totals = new Map<string, number>(channels.map((c) => [c, 0]));
  try {
    for (const client of dataClients) {
      const flat = (await client.call('PUBSUB', 'NUMSUB', ...channels)) as Array<string | number>;
      for (let i = 0; i + 1 < flat.length; i += 2) totals.set(String(flat[i]), (totals.get(String(flat[i])) ?? 0) + Number(flat[i + 1]));
    }
  } catch (err) {
    return [{ check: 'pubsub', status: isPermissionError(err) ? 'SKIP' : 'FAIL', value: String((err as Error).message) }];
  }
  return channels.map((channel) => {
    const n = totals.get(channel) ?? 0;
    // A channel gridctl.yaml `pubsub.critical` names is judged as `gridctl pubsub channels` does: FAIL at 0.
    const declared = critical.find((k) => k.channel === channel);
    if (declared) {
      const k = criticalCheck(channel, declared.minSubscribers ?? 1, n);
      return { check: `subscribers ${channel}`, status: k.status, value: `${n} subscribers (critical)`, threshold: `>= ${k.minSubscribers}, FAIL at 0`, metrics: { subscribers: n } };
    }
    return { check: `subscribers ${channel}`, status: n > 0 ? 'PASS' : 'WARN', value: `${n} subscribers`, threshold: '>= 1', metrics: { subscribers: n } };
  });
}
