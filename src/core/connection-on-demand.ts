import type { GridctlConfig } from './config/schema.js';
import type { Coverage } from './redis/coverage.js';
import type { Deployment } from './redis/deployment.js';
import type { ConnectionFlags, ResolveEnvironment } from './redis/resolve.js';
import type { ConnectionSpec } from './redis/spec.js';

/**
 * The connection layer as the command context reaches it. Each step loads its modules when it
 * first runs, so a command that never connects (`--help`, `init`, `check`) never loads ioredis.
 * Lives above core/redis so that it, not core/redis, reads `gridctl up` state (core/local).
 */

/** Where Redis is, from the flags, gridctl.yaml and the environment (topology not yet asked). */
export async function resolveConnection(flags: ConnectionFlags, config: GridctlConfig, where: Omit<ResolveEnvironment, 'readRunDir' | 'defaultRunDir'>): Promise<ConnectionSpec> {
  const [{ resolveConnectionSpec }, { readLocalState, DEFAULT_RUN_DIR }] = await Promise.all([import('./redis/resolve.js'), import('./local/state.js')]);
  return resolveConnectionSpec(flags, config, { ...where, readRunDir: readLocalState, defaultRunDir: DEFAULT_RUN_DIR });
}

export interface DetectedConnection {
  spec: ConnectionSpec;
  /** What the URL turned out to be, in words. */
  notes: string[];
  /** Set when the spec reaches one node of a cluster only (--node-only). */
  coverage?: Coverage;
}

/** The spec with its topology asked of the server. */
export async function detectConnection(resolved: ConnectionSpec): Promise<DetectedConnection> {
  const { detectTopology } = await import('./redis/detect.js');
  const { spec, notes } = await detectTopology(resolved);
  if (spec.partOf !== 'cluster') return { spec, notes };
  const [{ nodeOnlyCoverage }, { endpointLabel }] = await Promise.all([import('./redis/coverage.js'), import('./redis/endpoint.js')]);
  return { spec, notes, coverage: nodeOnlyCoverage(endpointLabel(spec.nodes[0]!)) };
}

/** The deployment behind `spec`, connected; a cluster's coverage (what part of it answered) with it. */
export async function openDeployment(spec: ConnectionSpec): Promise<{ deployment: Deployment; coverage?: Coverage }> {
  const { Deployment } = await import('./redis/deployment.js');
  const deployment = await Deployment.open(spec);
  if (spec.topology !== 'cluster') return { deployment };
  const coverage = await deployment.coverage().catch(() => undefined);
  return coverage ? { deployment, coverage } : { deployment };
}
