import { z } from 'zod';

const size = z.union([z.number().int().min(0), z.string().regex(/^\d+(\.\d+)?\s*(b|kb|k|mb|m|gb|g)?$/i, 'expected bytes or a size such as 10mb')]);

/** gridctl.yaml `memoryAnalysis:` — defaults of `gridctl memory` (flags override them; `memory:` is init's maxmemory). */
export const memoryAnalysisSchema = z.strictObject({
  bigKeyBytes: size.optional().describe('A key bigger than this is a big key (default 10mb).'),
  bigKeyElements: z.number().int().min(1).optional().describe('A collection with more elements is a big key (default 100000).'),
  prefixDepth: z.number().int().min(1).max(10).optional().describe('Segments kept when grouping undeclared keys by prefix (default 2).'),
  samples: z.number().int().min(0).optional().describe('MEMORY USAGE SAMPLES; 0 = every element, exact but slower (default 5).'),
  top: z.number().int().min(1).max(1000).optional().describe('Size of the top-keys lists (default 10).'),
  batchBudgetMs: z.number().positive().max(1000).optional().describe('Target server time per analysis batch in ms (default 5).'),
  failOn: z.enum(['info', 'warning', 'critical', 'never']).optional().describe('Exit 1 when findings reach this severity (default critical).'),
});

