import { Command, Option } from 'commander';
import type * as z from 'zod/mini';
import type { flagsSchema } from './memory-options.js';
import { contextFromCommand, type CommandContext } from './context.js';
import { parseOptions } from './parse-options.js';
import type { MemoryHooks, MemoryOptions } from '../core/memory/analyze.js';
import type { MemoryReport } from '../core/memory/types.js';
import type { MemoryAnalysisConfig } from '../core/config/schema-memory.js';

/** Flags as commander hands them over (strings), validated before any I/O. */
export type MemoryFlags = z.infer<typeof flagsSchema>;

export const MEMORY_DEFAULTS = {
  samples: 5,
  prefixDepth: 2,
  top: 10,
  bigKeyBytes: '10mb',
  bigKeyElements: 100_000,
  batchBudgetMs: 5,
  failOn: 'critical',
} as const;

export async function parseMemoryFlags(raw: Record<string, unknown>): Promise<MemoryFlags> {
  // The schema lives in memory-options.ts so `gridctl --help` does not load zod.
  const { flagsSchema } = await import('./memory-options.js');
  return parseOptions(flagsSchema, raw, 'memory');
}

/** Flags over gridctl.yaml `memoryAnalysis` over built-in defaults (defaults applied last). */
export async function resolveMemoryOptions(flags: MemoryFlags, ctx: CommandContext): Promise<MemoryOptions> {
  const loaded = await ctx.loadConfig();
  const file: MemoryAnalysisConfig = loaded.config.memoryAnalysis ?? {};
  const { DEFAULT_NAMESPACES } = await import('../core/config/defaults.js');
  const { parseSize } = await import('../core/memory/parse-size.js');
  return {
    namespaces: loaded.config.namespaces ?? DEFAULT_NAMESPACES,
    ...(flags.match ? { match: flags.match } : {}),
    replicas: Boolean(flags.replicas),
    samples: flags.samples ?? file.samples ?? MEMORY_DEFAULTS.samples,
    sampleRatio: flags.sample ?? 1,
    prefixDepth: flags.depth ?? file.prefixDepth ?? MEMORY_DEFAULTS.prefixDepth,
    top: flags.top ?? file.top ?? MEMORY_DEFAULTS.top,
    bigKeyBytes: parseSize(flags.bigKeyBytes ?? file.bigKeyBytes ?? MEMORY_DEFAULTS.bigKeyBytes, '--big-key-bytes'),
    bigKeyElements: flags.bigKeyElements ?? file.bigKeyElements ?? MEMORY_DEFAULTS.bigKeyElements,
    failOn: flags.failOn ?? file.failOn ?? MEMORY_DEFAULTS.failOn,
    ...(flags.baseline ? { baseline: flags.baseline } : {}),
    ...(flags.maxRate ? { maxRate: flags.maxRate } : {}),
    batchBudgetMs: flags.batchMs ?? file.batchBudgetMs ?? MEMORY_DEFAULTS.batchBudgetMs,
    technique: flags.technique ?? 'auto',
  };
}

/** `gridctl memory`: analyse the deployment's keyspace by namespace; the report drives table and JSON. */
export async function runMemory(flags: MemoryFlags, ctx: CommandContext, hooks: MemoryHooks = {}): Promise<MemoryReport> {
  const options = await resolveMemoryOptions(flags, ctx);
  const { analyzeMemory } = await import('../core/memory/analyze.js');
  const dep = await ctx.openDeployment();
  try {
    return await analyzeMemory(dep, options, hooks);
  } finally {
    await dep.close();
  }
}

export function memoryCommand(): Command {
  return new Command('memory')
    .description('memory and keyspace by namespace across every master (or replica): sizes, TTL coverage, big keys, leaks')
    .option('--match <pattern>', 'only keys matching this SCAN pattern, e.g. "user:*"')
    .option('--replicas', 'scan one replica per master instead of the masters (READONLY on a Cluster)')
    .option('--samples <n>', 'MEMORY USAGE SAMPLES for collections; 0 = every element (exact, slower) (default 5)')
    .option('--sample <ratio>', 'analyse only this fraction of keys (0 < RATIO <= 1); totals are extrapolated with a 95% error margin')
    .option('--depth <n>', 'prefix segments used to group keys outside declared namespaces (default 2: a:b:*)')
    .option('--top <n>', 'size of the top-keys lists (default 10)')
    .option('--big-key-bytes <size>', 'a key above this size is a big key (default 10mb)')
    .option('--big-key-elements <n>', 'a collection with more elements is a big key (default 100000)')
    .option('--baseline <file>', 'a previous `gridctl memory --json` report: show growth per namespace')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity (default critical)').choices(['info', 'warning', 'critical', 'never']))
    .option('--max-rate <keys/s>', 'analyse at most this many keys per second across the deployment')
    .option('--batch-ms <ms>', 'target server time per analysis batch; batches adapt to it (default 5)')
    .addOption(new Option('--technique <kind>', 'per-key work: a read-only Lua script per batch, or pipelined commands (auto: script, pipeline if EVAL is refused)').choices(['auto', 'script', 'pipeline']))
    .addHelpText(
      'after',
      `
Namespaces come from gridctl.yaml \`namespaces\` (patterns like user:session:{session_id}) or the
gateway defaults; other keys are grouped by prefix. Per namespace: keys, bytes, share, average and
largest size, type mix, TTL coverage and histogram, biggest keys; plus the top keys by bytes and by
elements, and findings. Progress (keys done of DBSIZE, rate, ETA) is shown on a terminal only.

Findings: critical = ephemeral or lock keys without TTL · warning = cache keys without TTL, store
keys evictable under the maxmemory policy, big keys, keys of the wrong type · info = undeclared keys.

Exit codes: 0 no finding at --fail-on level · 1 findings at or above --fail-on · 3 usage/config ·
4 authentication or permission denied (NOPERM) · 5 unreachable or timed out

ACL (read-only user; key access %R~*):
  script technique:   %R~* +ping +info +client|setname +dbsize +scan +type +pttl +memory|usage
                      +llen +scard +zcard +hlen +xlen +eval +evalsha
                      (+cluster|slots +cluster|nodes on a Cluster, +readonly with --replicas,
                       +client|no-touch on Redis 7.2+)
  pipeline technique: the same without +eval +evalsha (used automatically when EVAL is refused)

Examples:
  $ gridctl memory                                   every master, table
  $ gridctl memory --json > mem-$(date +%F).json     save a report (a later --baseline)
  $ gridctl memory --baseline mem-2026-11-20.json    growth per namespace since then
  $ gridctl memory --target prod --replicas --max-rate 50000
  $ gridctl memory --sample 0.1 --fail-on warning    a 10% sample; fail CI on warnings
  $ gridctl memory --match 'user:session:*' --top 20`,
    )
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      const flags = await parseMemoryFlags(raw);
      const ctx = contextFromCommand(cmd);
      const { renderMemory, createMemoryProgress } = await import('../ui/views/memory-view.js');
      const progress = createMemoryProgress(ctx.out);
      let report: MemoryReport;
      try {
        report = await runMemory(flags, ctx, progress.hooks);
      } finally {
        progress.stop();
      }
      renderMemory(report, ctx.out);
      if (report.failed) process.exitCode = 1;
    });
}
