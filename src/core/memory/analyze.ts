import type { Redis } from 'ioredis';
import { GridctlError } from '../errors.js';
import { connectNode, errorContext } from '../redis/connect.js';
import { classifyRedisError } from '../redis/errors.js';
import type { Deployment } from '../redis/deployment.js';
import { MemoryAggregator } from './aggregator.js';
import { loadBaseline } from './baseline.js';
import { createKeySampler } from './key-sampler.js';
import { buildMemoryReport } from './report.js';
import { typeFromCode } from './key-stats-script.js';
import { probeNode, scanNodeKeys } from './node-scanner.js';
import { RateLimiter } from './rate-limiter.js';
import type { MemoryOptions, MemoryReport } from './types.js';

export type { MemoryOptions } from './types.js';

export interface MemoryProgress {
  scanned: number;
  /** Σ DBSIZE of the scanned nodes, or null when DBSIZE is not permitted. */
  total: number | null;
}

export interface MemoryHooks {
  onStart?(progress: MemoryProgress): void;
  onProgress?(progress: MemoryProgress): void;
}

interface ScanTarget {
  address: string;
  /** The master whose data this node holds (itself for a master). */
  standsFor: string;
  role: 'master' | 'replica';
  client: Redis;
  owned: boolean;
}

/**
 * `gridctl memory`: analyse every key of every master (or one replica per master with
 * --replicas) by namespace, in parallel across nodes, and return the report with findings.
 */
export async function analyzeMemory(dep: Deployment, opts: MemoryOptions, hooks: MemoryHooks = {}): Promise<MemoryReport> {
  const started = performance.now();
  // Read the baseline first: a bad file should fail before minutes of scanning.
  const baseline = opts.baseline ? await loadBaseline(opts.baseline) : undefined;
  const targets = opts.replicas ? await replicaTargets(dep) : (await dep.masterClients()).map((m) => ({ ...m, standsFor: m.address, role: 'master' as const }));
  try {
    const nodes = await Promise.all(targets.map((t) => withClassifiedErrors(dep, t.address, () => probeNode(t.client, t.address, t.role))));
    const total = nodes.every((n) => n.dbsize !== null) ? nodes.reduce((s, n) => s + (n.dbsize ?? 0), 0) : null;
    const progress: MemoryProgress = { scanned: 0, total };
    hooks.onStart?.(progress);

    const aggregator = new MemoryAggregator({
      namespaces: opts.namespaces,
      prefixDepth: opts.prefixDepth,
      top: opts.top,
      bigKeyBytes: opts.bigKeyBytes,
      bigKeyElements: opts.bigKeyElements,
      sampleRatio: opts.sampleRatio,
    });
    const sampler = createKeySampler(opts.sampleRatio);
    const limiter = opts.maxRate ? new RateLimiter(opts.maxRate) : undefined;
    const sink = (keys: Buffer[], values: Float64Array) => {
      for (let i = 0; i < keys.length; i++) {
        const type = typeFromCode(values[i * 4]!);
        if (!type) continue; // expired or deleted between SCAN and the analysis
        aggregator.add(keys[i]!.toString(), type, values[i * 4 + 1]!, values[i * 4 + 2]!, values[i * 4 + 3]!);
      }
    };
    await Promise.all(
      targets.map((t, i) =>
        withClassifiedErrors(dep, t.address, () =>
          scanNodeKeys(
            t.client,
            nodes[i]!,
            {
              ...(opts.match ? { match: opts.match } : {}),
              samples: opts.samples,
              technique: opts.technique,
              batchBudgetMs: opts.batchBudgetMs,
              ...(sampler ? { sampler } : {}),
              ...(limiter ? { limiter } : {}),
            },
            sink,
            (n) => {
              progress.scanned += n;
              hooks.onProgress?.(progress);
            },
          ),
        ),
      ),
    );

    const techniques = new Set(nodes.map((n) => n.technique));
    const coverage = { ...(await dep.coverage(targets.map((t) => t.standsFor))), nodes: targets.map((t) => t.address) };
    return buildMemoryReport(
      aggregator,
      opts,
      {
        topology: dep.spec.topology,
        coverage,
        source: opts.replicas ? 'replicas' : 'masters',
        technique: techniques.size === 1 ? [...techniques][0]! : 'mixed',
        nodes,
        scanned: nodes.reduce((s, n) => s + n.scanned, 0),
        startedAt: started,
      },
      baseline,
    );
  } finally {
    for (const t of targets) if (t.owned) t.client.disconnect();
  }
}

/** One replica per master (the first that is not failing), connected with READONLY on a Cluster. */
async function replicaTargets(dep: Deployment): Promise<ScanTarget[]> {
  const nodes = await dep.discover();
  const masters = nodes.filter((n) => n.role === 'master');
  const targets: ScanTarget[] = [];
  try {
    for (const master of masters) {
      const replica = nodes.find((n) => n.role === 'replica' && n.masterAddress === master.address && !(n.flags ?? []).some((f) => /fail|noaddr|handshake|s_down|o_down|disconnected/.test(f)));
      if (!replica) {
        throw new GridctlError('USAGE', `--replicas: master ${master.address} has no healthy replica`, { hint: 'run without --replicas to scan the masters' });
      }
      const client = await connectNode(dep.spec, replica, { readOnly: dep.isCluster });
      targets.push({ address: replica.address, standsFor: master.address, role: 'replica', client, owned: true });
    }
  } catch (err) {
    for (const t of targets) t.client.disconnect();
    throw err;
  }
  return targets;
}

async function withClassifiedErrors<T>(dep: Deployment, address: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyRedisError(err, errorContext(dep.spec, address));
  }
}
