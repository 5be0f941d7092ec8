import type { Deployment } from '../redis/deployment.js';
import type { GridctlConfig } from '../config/schema.js';
import { streamNames } from '../config/defaults.js';
import { formatDuration } from '../duration.js';
import { GridctlError } from '../errors.js';
import { isPermissionError } from '../redis/errors.js';
import type { HealthCheck } from '../health/types.js';
import { masterForKey } from './locate.js';
import { readStreamState } from './inspect.js';
import { groupFindings } from './findings.js';
import type { GroupState } from './types.js';

/**
 * health's consumer-group checks: the same state and findings as `gridctl stream inspect`, one
 * check per group, WARN when a finding is raised (an unknown lag is shown as unknown, never 0).
 */
export async function streamHealthChecks(dep: Deployment, config: GridctlConfig, now = Date.now()): Promise<HealthCheck[]> {
  const out: HealthCheck[] = [];
  for (const stream of streamNames(config.streams)) {
    const check = `stream ${stream}`;
    try {
      const { client } = await masterForKey(dep, stream);
      const state = await readStreamState(client, stream, config, now);
      if (!state.groups.length) out.push({ check, status: 'SKIP', value: 'no consumer groups' });
      for (const g of state.groups) out.push(groupCheck(stream, g));
    } catch (err) {
      if (err instanceof GridctlError && err.code === 'NOT_FOUND') out.push({ check, status: 'SKIP', value: 'stream does not exist' });
      else out.push({ check, status: isPermissionError(err) ? 'SKIP' : 'FAIL', value: String((err as Error).message) });
    }
  }
  return out;
}

function groupCheck(stream: string, g: GroupState): HealthCheck {
  const findings = groupFindings(stream, g);
  const t = g.thresholds;
  const age = g.maxPendingIdleMs === null ? '' : `, oldest pending idle ${formatDuration(g.maxPendingIdleMs)}`;
  return {
    check: `stream ${stream} group ${g.name}`,
    status: findings.length ? 'WARN' : 'PASS',
    value: `lag ${g.lag ?? 'unknown'}, pending ${g.pending}${age}, ${g.consumers} consumers`,
    threshold: `lag <= ${t.maxLag}, pending <= ${t.maxPending}, pending idle <= ${formatDuration(t.maxPendingAgeMs)}, no dead consumer or poison entry`,
    ...(findings.length ? { detail: findings.map((f) => f.message).join('; ') } : {}),
    metrics: {
      stream_pending: g.pending,
      ...(g.lag !== null ? { stream_lag: g.lag } : {}),
      ...(g.maxPendingIdleMs !== null ? { stream_pending_max_idle_seconds: g.maxPendingIdleMs / 1000 } : {}),
      stream_dead_consumers: g.deadConsumers.length,
      stream_poison_entries: g.poisonEntries,
    },
  };
}
