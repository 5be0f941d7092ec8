import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { memoryOptions, MEMORY_DEFAULTS, type MemoryFlags } from './options.js';
import { analyzeMemory, type MemoryOptions } from '../../core/memory/analyze.js';
import type { MemoryReport } from '../../core/memory/types.js';
import { DEFAULT_NAMESPACES } from '../../core/config/defaults.js';
import { parseSize } from '../../core/memory/parse-size.js';
import { createMemoryProgress, renderMemory } from '../../ui/views/memory-view.js';

/** Flags over gridctl.yaml `memoryAnalysis` over built-in defaults (defaults applied last). */
async function resolveMemoryOptions(flags: MemoryFlags, ctx: CommandContext): Promise<MemoryOptions> {
  const loaded = await ctx.loadConfig();
  const file = loaded.config.memoryAnalysis ?? {};
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

/** `gridctl memory`: the deployment's keyspace by namespace; findings at --fail-on exit 1. */
export default defineCommand({
  options: memoryOptions,
  async run(flags, ctx): Promise<MemoryReport> {
    const options = await resolveMemoryOptions(flags, ctx);
    const dep = await ctx.openDeployment();
    const progress = createMemoryProgress(ctx.out);
    try {
      return await analyzeMemory(dep, options, progress.hooks);
    } finally {
      progress.stop();
      await dep.close();
    }
  },
  render: (report, out) => renderMemory(report, out),
  verdict: (report) => (report.failed ? 1 : 0),
});
