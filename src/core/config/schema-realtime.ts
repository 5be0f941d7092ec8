import { z } from 'zod';

const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'expected a duration such as 30s, 5m, 1h');

const groupThresholds = {
  maxLag: z.number().int().min(0).optional().describe('Entries a group may be behind before it is a finding (default slo.streamLag, 1000).'),
  maxPending: z.number().int().min(0).optional().describe('Pending entries a group may hold (default slo.streamPending, 1000).'),
  maxPendingAge: duration.optional().describe('Idle time of the oldest pending entry to flag (default 5m).'),
  deadConsumerAfter: duration.optional().describe('A consumer with pending entries inactive this long is dead (default 10m).'),
  poisonDeliveries: z.number().int().min(2).optional().describe('Delivery count from which a pending entry is poison (default 5).'),
};

const streamGroupSettingsSchema = z.strictObject(groupThresholds);

const streamSettingsSchema = z.strictObject({
  ...groupThresholds,
  deadLetter: z.string().min(1).optional().describe('Dead-letter stream for `gridctl stream dead-letter` (default {STREAM}:dead-letter, same Cluster slot).'),
  maxLen: z.number().int().min(1).optional().describe('The MAXLEN the producers trim to, shown by `stream list` (Redis does not keep it).'),
  groups: z.record(z.string(), streamGroupSettingsSchema).optional().describe('Thresholds for one consumer group, over the stream\'s.'),
});

/** gridctl.yaml `streams:` — a list of names (health checks them with the defaults) or thresholds per stream and group. */
export const streamsConfigSchema = z.union([z.array(z.string()), z.record(z.string(), streamSettingsSchema)]);

/** gridctl.yaml `pubsub:` — what `gridctl pubsub` and `health` hold the channels to. */
export const pubsubConfigSchema = z.strictObject({
  critical: z
    .array(z.strictObject({ channel: z.string().min(1), minSubscribers: z.number().int().min(1).optional().describe('At least this many subscribers (default 1); 0 is always a FAIL.') }))
    .optional()
    .describe('Channels the gateway cannot run without (e.g. market:events).'),
  bufferWarnPercent: z.number().min(1).max(100).optional().describe('A subscriber whose output buffer reaches this share of its limit is flagged (default 50).'),
});

/** gridctl.yaml `clients:` — connection pools of the gateway. */
export const clientsConfigSchema = z.strictObject({
  poolSize: z.number().int().min(1).optional().describe('Connections per app instance (REDIS_MAX_CONNECTIONS, default 50).'),
});

