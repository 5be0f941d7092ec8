import { parseDuration } from '../duration.js';
import { resolveSlo } from '../config/defaults.js';
import type { GridctlConfig } from '../config/schema.js';

/** What a consumer group is held to; a value crossed is a finding (exit 1). */
export interface GroupThresholds {
  maxLag: number;
  maxPending: number;
  maxPendingAgeMs: number;
  deadConsumerAfterMs: number;
  poisonDeliveries: number;
}

const STREAM_DEFAULTS = { maxPendingAge: '5m', deadConsumerAfter: '10m', poisonDeliveries: 5 } as const;

/**
 * The thresholds of one stream's group: gridctl.yaml `streams.<stream>.groups.<group>` over
 * `streams.<stream>` over `slo` over the built-in defaults (defaults last, so none hides a value).
 */
export function groupThresholds(config: GridctlConfig, stream: string, group: string): GroupThresholds {
  const slo = resolveSlo(config.slo);
  const perStream = config.streams && !Array.isArray(config.streams) ? config.streams[stream] : undefined;
  const perGroup = perStream?.groups?.[group];
  const pick = <K extends 'maxLag' | 'maxPending' | 'maxPendingAge' | 'deadConsumerAfter' | 'poisonDeliveries'>(k: K) => perGroup?.[k] ?? perStream?.[k];
  return {
    maxLag: pick('maxLag') ?? slo.streamLag,
    maxPending: pick('maxPending') ?? slo.streamPending,
    maxPendingAgeMs: parseDuration(pick('maxPendingAge') ?? STREAM_DEFAULTS.maxPendingAge, 'streams maxPendingAge'),
    deadConsumerAfterMs: parseDuration(pick('deadConsumerAfter') ?? STREAM_DEFAULTS.deadConsumerAfter, 'streams deadConsumerAfter'),
    poisonDeliveries: pick('poisonDeliveries') ?? STREAM_DEFAULTS.poisonDeliveries,
  };
}

/** gridctl.yaml `streams.<stream>.<field>` when streams is the per-stream form. */
export function streamSetting<K extends 'deadLetter' | 'maxLen'>(config: GridctlConfig, stream: string, key: K) {
  return config.streams && !Array.isArray(config.streams) ? config.streams[stream]?.[key] : undefined;
}
