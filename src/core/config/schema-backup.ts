import { z } from 'zod';
import { backupSchema as deploymentBackupSchema } from './schema-deployment.js';

/**
 * gridctl.yaml `backup:`: the fields `gridctl init` renders the schedule from (schema-deployment.ts:
 * schedule, cron, dir, keep) plus what `gridctl backup` / `restore` read. Flags override these.
 */
export const backupConfigSchema = z.strictObject({
  ...deploymentBackupSchema.shape,
  mode: z.enum(['logical', 'rdb']).optional().describe('logical (DUMP archive, default) or rdb (per-master RDB over the replication protocol).'),
  encryptKeyFile: z.string().optional().describe('Key file for AES-256-GCM encryption at rest (>= 32 bytes; relative to gridctl.yaml).'),
  fromReplica: z.boolean().optional().describe('Read from a replica of each master instead of the master.'),
  maxRate: z.number().int().positive().optional().describe('Upper bound on keys per second read by a logical backup.'),
  batchMs: z.number().positive().max(1000).optional().describe('About how much Redis time one SCAN page of pipelined commands takes, in ms; pages adapt to it (default 1.5).'),
});

