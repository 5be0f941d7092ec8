import type { MemoryAggregator } from './aggregator.js';
import { compareWithBaseline, type loadBaseline } from './baseline.js';
import { buildFindings, reachesFailOn, worstSeverity } from './findings.js';
import { extrapolate } from './key-sampler.js';
import type { MemoryOptions, MemoryReport, NodeReport } from './types.js';

/** What the report says about where its keys came from (a live deployment or a backup file). */
export interface ReportOrigin {
  topology: MemoryReport['topology'];
  /** Live reports: what the scanned nodes cover. */
  coverage?: MemoryReport['coverage'];
  source: MemoryReport['source'];
  technique: MemoryReport['technique'];
  nodes: NodeReport[];
  /** Keys looked at (SCANned, or read from the file). */
  scanned: number;
  startedAt: number;
}

export type ReportOptions = Pick<MemoryOptions, 'match' | 'samples' | 'sampleRatio' | 'prefixDepth' | 'top' | 'bigKeyBytes' | 'bigKeyElements' | 'failOn' | 'baseline'>;

/**
 * The MemoryReport drawn from an aggregator, the same for `gridctl memory` on a live deployment
 * and `gridctl memory --from FILE`: namespaces, totals, top keys, findings, sampling, baseline.
 */
export function buildMemoryReport(
  aggregator: MemoryAggregator,
  opts: ReportOptions,
  origin: ReportOrigin,
  baseline?: Awaited<ReturnType<typeof loadBaseline>>,
): MemoryReport {
  const namespaces = aggregator.namespaces();
  const findings = buildFindings({ namespaces, aggregator, nodes: origin.nodes, bigKeyBytes: opts.bigKeyBytes, bigKeyElements: opts.bigKeyElements });
  const keys = namespaces.reduce((s, n) => s + n.keys, 0);
  const bytes = namespaces.reduce((s, n) => s + n.bytes, 0);
  const withTtl = namespaces.reduce((s, n) => s + n.ttl.withTtl, 0);
  const durationMs = Math.round(performance.now() - origin.startedAt);
  const report: MemoryReport = {
    generatedAt: new Date().toISOString(),
    topology: origin.topology,
    ...(origin.coverage ? { coverage: origin.coverage } : {}),
    source: origin.source,
    technique: origin.technique,
    options: {
      ...(opts.match ? { match: opts.match } : {}),
      samples: opts.samples,
      sampleRatio: opts.sampleRatio,
      prefixDepth: opts.prefixDepth,
      top: opts.top,
      bigKeyBytes: opts.bigKeyBytes,
      bigKeyElements: opts.bigKeyElements,
      failOn: opts.failOn,
    },
    nodes: origin.nodes,
    totals: { keys, bytes, withTtl, ttlCoverage: keys ? withTtl / keys : 0, elements: namespaces.reduce((s, n) => s + n.elements, 0), scanned: origin.scanned },
    namespaces,
    topKeysByBytes: aggregator.topByBytes.sorted(),
    topKeysByElements: aggregator.topByElements.sorted(),
    findings,
    worstSeverity: worstSeverity(findings),
    failed: reachesFailOn(findings, opts.failOn),
    durationMs,
    keysPerSecond: durationMs ? Math.round((origin.scanned / durationMs) * 1000) : origin.scanned,
  };
  if (opts.sampleRatio < 1) {
    const sums = aggregator.byteSums();
    report.sampling = {
      ratio: opts.sampleRatio,
      analysedKeys: keys,
      keys: extrapolate(keys, keys, opts.sampleRatio),
      bytes: extrapolate(sums.sum, sums.squares, opts.sampleRatio),
      note: 'keys chosen by a hash of their name (each with probability RATIO); totals extrapolated, 95% interval = estimate ± margin95; counts in namespaces, findings and top keys are of the sample',
    };
  }
  if (baseline && opts.baseline) report.baseline = compareWithBaseline(opts.baseline, baseline, namespaces);
  return report;
}
