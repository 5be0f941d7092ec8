import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { memoryOptions, MEMORY_DEFAULTS, type MemoryFlags } from './options.js';
import type { MemoryOptions } from '../../core/memory/types.js';
import type { MemoryReport } from '../../core/memory/types.js';
import { DEFAULT_NAMESPACES } from '../../core/config/defaults.js';
import { parseSize } from '../../core/memory/parse-size.js';
import { createFileProgress, createMemoryProgress, renderMemory, renderMemoryPrometheus } from '../../ui/views/memory-view.js';
import { GridctlError } from '../../core/errors.js';
import { runMemoryOfSource } from '../../core/memory/run-memory.js';
import path from 'node:path';

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

/** Flags that only mean something on a live deployment, and those that only mean something with --from. */
const LIVE_ONLY = { replicas: '--replicas', samples: '--samples', maxRate: '--max-rate', batchMs: '--batch-ms', technique: '--technique' } as const;
const FILE_ONLY = { allocator: '--allocator', encryptKeyFile: '--encrypt-key-file' } as const;

function refuseMixedFlags(flags: MemoryFlags): void {
  const pairs = flags.from ? LIVE_ONLY : FILE_ONLY;
  for (const [key, flag] of Object.entries(pairs)) {
    if (flags[key as keyof MemoryFlags] === undefined) continue;
    throw new GridctlError('USAGE', flags.from ? `${flag} works on a live deployment, not with --from` : `${flag} works with --from FILE only`, {
      hint: flags.from ? 'a backup is read whole and sized exactly; drop the flag' : 'add --from <backup file>, or drop the flag',
    });
  }
}

/** `gridctl memory --from FILE`: the same report from a backup; no server is contacted. */
async function runFromFile(flags: MemoryFlags, ctx: CommandContext): Promise<MemoryReport> {
  const options = await resolveMemoryOptions(flags, ctx);
  const progress = createFileProgress(ctx.out);
  try {
    return await runMemoryOfSource({
      source: 'file',
      file: path.resolve(ctx.cwd, flags.from!),
      options: {
        ...options,
        ...(options.baseline ? { baseline: path.resolve(ctx.cwd, options.baseline) } : {}),
        allocator: flags.allocator ?? 'auto',
        ...(flags.encryptKeyFile ? { encryptKeyFile: path.resolve(ctx.cwd, flags.encryptKeyFile) } : {}),
        onProgress: progress.update,
      },
    });
  } finally {
    progress.stop();
  }
}

/** `gridctl memory`: the live deployment, with a progress bar on a terminal. */
async function runLive(flags: MemoryFlags, ctx: CommandContext): Promise<MemoryReport> {
  const options = await resolveMemoryOptions(flags, ctx);
  const progress = createMemoryProgress(ctx.out);
  try {
    return await runMemoryOfSource({ source: 'live', openDeployment: () => ctx.openDeployment(), options, hooks: progress.hooks });
  } finally {
    progress.stop();
  }
}

/** `gridctl memory`: the deployment's keyspace by namespace (or a backup's, --from); findings at --fail-on exit 1. */
export default defineCommand({
  options: memoryOptions,
  async run(flags, ctx): Promise<MemoryReport> {
    refuseMixedFlags(flags);
    return flags.from ? runFromFile(flags, ctx) : runLive(flags, ctx);
  },
  render: (report, out, flags) => (flags.format === 'prometheus' ? out.print(renderMemoryPrometheus(report)) : renderMemory(report, out)),
  verdict: (report) => (report.failed ? 1 : 0),
});
