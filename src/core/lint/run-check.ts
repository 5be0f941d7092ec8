import { GridctlError } from '../errors.js';
import type { Deployment } from '../redis/deployment.js';
import type { LintContext } from './context.js';
import { discoverFiles } from './discover.js';
import { lintFiles, type RuleOverride } from './engine.js';
import { summarise, verdictOf, type CheckReport } from './report.js';
import type { Finding } from './types.js';

export interface CheckRun {
  /** Files and folders to check (folders are searched for .conf and .acl files). */
  inputs: string[];
  lint: LintContext;
  overrides: Record<string, RuleOverride>;
  /** --boot: start each file with this redis-server (default: the one on PATH). */
  boot?: { redisServer?: string };
  /** --live: the deployment to compare with, opened only when asked for; closed here. */
  live?: () => Promise<Deployment>;
  strict: boolean;
  maxWarnings?: number;
  /** Told before the slow steps, for the operator (core never prints). */
  onBooting?(files: number): void;
  onLiveDenied?(commands: string[]): void;
}

/**
 * `gridctl check`: lint the files, then the steps asked for. --boot and --live are loaded only
 * when they run, so a plain check loads neither the process runner nor the live comparison.
 */
export async function runCheck(run: CheckRun): Promise<CheckReport> {
  const result = lintFiles(checkedFiles(run.inputs), run.lint, run.overrides);
  const findings: Finding[] = [...result.findings];
  const report: Omit<CheckReport, 'summary' | 'verdict'> = { target: run.lint.version, files: result.files, findings };
  if (run.boot) {
    const { bootCheck } = await import('./check-boot.js');
    run.onBooting?.(result.files.length);
    const booted = await bootCheck(result.files, run.boot);
    report.boot = booted.boot;
    findings.push(...booted.findings);
  }
  if (run.live) {
    const { liveCheck } = await import('./check-live.js');
    const deployment = await run.live();
    try {
      const live = await liveCheck(deployment, result.servers, run.lint.version);
      findings.push(...live.findings);
      report.live = live.live;
      report.coverage = live.coverage;
      if (live.denied.length) run.onLiveDenied?.(live.denied);
    } finally {
      await deployment.close();
    }
  }
  const summary = summarise(findings, result.files.length);
  return { ...report, summary, ...verdictOf(summary, { strict: run.strict, ...(run.maxWarnings !== undefined ? { maxWarnings: run.maxWarnings } : {}) }) };
}

/** The .conf and .acl files behind the inputs; a missing input or none found is a usage error. */
function checkedFiles(inputs: string[]): string[] {
  const { files, missing } = discoverFiles(inputs);
  if (missing.length) throw new GridctlError('USAGE', `no such file or directory: ${missing.join(', ')}`, { hint: 'check the path (relative paths are resolved against the current directory)' });
  if (!files.length) throw new GridctlError('USAGE', `no .conf or .acl files found in ${inputs.join(', ')}`);
  return files;
}
