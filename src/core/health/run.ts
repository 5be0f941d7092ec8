import type { Redis } from 'ioredis';
import { resolveSlo, DEFAULT_CHANNELS } from '../config/defaults.js';
import type { GridctlConfig } from '../config/schema.js';
import type { Deployment, NodeInfo } from '../redis/deployment.js';
import { checkDataNode, checkSentinelNode, type CheckContext, type SentinelView } from './node-checks.js';
import { clusterTopologyCheck, pubsubChecks, sentinelAgreementCheck } from './deployment-checks.js';
import { streamHealthChecks } from '../stream/health-checks.js';
import { withUnreached } from '../redis/coverage.js';
import { parseDuration } from '../duration.js';
import { backupFreshnessCheck } from './backup-freshness.js';
import { summarize, type HealthCheck, type HealthReport, type NodeHealth } from './types.js';

export interface HealthOptions {
  /** PING samples per node (overrides slo.pingSamples). */
  samples?: number;
  /** Where the backups are, for the backup-freshness check (SKIP without one). */
  backupDir?: string;
  /** It came from gridctl.yaml backup.dir, not --backup-dir: SKIP when it does not exist on this host. */
  backupDirFromConfig?: boolean;
}

/**
 * Check every node of the deployment (masters, replicas, sentinels) and the deployment as a
 * whole, against the SLOs of gridctl.yaml (or the gateway's defaults). An unreachable node is a
 * FAIL in the report, not an exception: the report is what an operator needs in that moment.
 */
export async function runHealthChecks(dep: Deployment, config: GridctlConfig, opts: HealthOptions = {}): Promise<HealthReport> {
  const slo = resolveSlo(config.slo);
  if (opts.samples) slo.pingSamples = opts.samples;
  const ctx: CheckContext = { slo, spec: dep.spec };
  const nodes = await dep.discover();
  const views: SentinelView[] = [];
  const dataClients: Redis[] = [];

  const results = await dep.forEachNode(nodes, async (client, node) => {
    if (node.role === 'sentinel') {
      const r = await checkSentinelNode(client, ctx, dep.spec.masterName!);
      views.push(r.view);
      return r.checks;
    }
    const checks = await checkDataNode(client, node, ctx, dep.spec.topology);
    return checks;
  });

  const nodeHealth: NodeHealth[] = results.map(({ node, result, error }) => ({
    address: node.address,
    role: node.role,
    checks: error ? [unreachable(node, error)] : result!,
  }));
  // A permission problem on INFO itself is not a health verdict: surface it (exit 4).
  const noPerm = results.find((r) => r.error && (r.error as { code?: string }).code === 'PERMISSION_DENIED');
  if (noPerm && results.every((r) => r.error)) throw noPerm.error;

  const deployment: HealthCheck[] = [];
  if (dep.spec.topology === 'sentinel') {
    const sentinels = results.filter((r) => r.node.role === 'sentinel');
    deployment.push(sentinelAgreementCheck(views, sentinels.filter((r) => !r.error).length, sentinels.length));
  }
  if (dep.spec.topology === 'cluster') deployment.push(clusterTopologyCheck(nodes, dep.excluded));

  const channels = config.channels ?? DEFAULT_CHANNELS;
  deployment.push(...(await streamHealthChecks(dep, config)));
  const masters = await dep.masterClients();
  for (const m of masters) dataClients.push(m.client);
  deployment.push(...(await pubsubChecks(dataClients, channels, config.pubsub?.critical)));
  deployment.push(await backupFreshnessCheck(opts.backupDir, parseDuration(slo.backupMaxAge, 'slo.backupMaxAge'), { configured: Boolean(opts.backupDirFromConfig) }));

  const all = [...nodeHealth.flatMap((n) => n.checks), ...deployment];
  const unreached = results.filter((r) => r.error && r.node.role === 'master').map((r) => r.node.address);
  const reached = nodes.filter((n) => n.role === 'master' && !unreached.includes(n.address)).map((n) => n.address);
  // A Cluster's coverage counts the slots of the masters that answered; otherwise the one master.
  const coverage = dep.isCluster ? await dep.coverage(reached) : withUnreached(await dep.coverage(), unreached);
  return {
    topology: dep.spec.topology,
    coverage,
    source: dep.spec.source,
    checkedAt: new Date().toISOString(),
    tls: Boolean(dep.spec.tls),
    nodes: nodeHealth,
    deployment,
    summary: summarize(all),
  };
}

function unreachable(node: NodeInfo, error: Error): HealthCheck {
  const hint = (error as { hint?: string }).hint;
  return { check: 'reachable', status: 'FAIL', value: error.message, ...(hint ? { detail: hint } : {}) };
}
