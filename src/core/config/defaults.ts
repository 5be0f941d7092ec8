import type { NamespaceConfig, SloConfig } from './schema.js';

/** The gateway's success metrics (DESIGN.md): health reports against these unless gridctl.yaml says otherwise. */
export const DEFAULT_SLO: Required<SloConfig> = {
  latencyMs: 1,
  pingSamples: 20,
  memoryPercent: 70,
  fragmentationRatio: 1.5,
  hitRatePercent: 80,
  clientsPercent: 80,
  replicationLagSeconds: 10,
  lastSaveMaxAgeHours: 24,
  streamLag: 1000,
  streamPending: 1000,
  // A daily backup plus two hours of slack: one late run is not an alert, a missed one is.
  backupMaxAge: '26h',
};

export function resolveSlo(slo: SloConfig | undefined): Required<SloConfig> {
  return { ...DEFAULT_SLO, ...stripUndefined(slo ?? {}) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The gateway's key namespaces from its Redis design (DESIGN.md). */
export const DEFAULT_NAMESPACES: NamespaceConfig[] = [
  { pattern: 'user:profile:{user_id}', kind: 'cache', ttl: '1h' },
  { pattern: 'user:wallet:{user_id}', kind: 'cache', ttl: '1h' },
  { pattern: 'user:session:{session_id}', kind: 'ephemeral', ttl: '24h' },
  { pattern: 'orderbook:buy', kind: 'store', type: 'zset' },
  { pattern: 'orderbook:sell', kind: 'store', type: 'zset' },
  { pattern: 'orderbook:metadata', kind: 'store', ttl: '24h' },
  { pattern: 'order_book:buy', kind: 'store', type: 'zset' },
  { pattern: 'order_book:sell', kind: 'store', type: 'zset' },
  { pattern: 'order_book:metadata', kind: 'store', ttl: '24h' },
  { pattern: 'market:current_epoch', kind: 'store' },
  { pattern: 'order:{order_id}', kind: 'store', type: 'hash', ttl: '24h' },
  { pattern: 'rate_limit:api:{ip}:{endpoint}', kind: 'ephemeral', ttl: '1m' },
  { pattern: 'rate_limit:meter_verify:{user_id}', kind: 'ephemeral', ttl: '1h' },
  { pattern: 'token:balance:{wallet}:{mint}', kind: 'cache', ttl: '5m' },
  { pattern: 'token:metadata:{mint}', kind: 'cache', ttl: '24h' },
  { pattern: 'settlement:pending', kind: 'store' },
  { pattern: 'settlement:{settlement_id}', kind: 'store' },
  { pattern: 'erc:certificate:{cert_id}', kind: 'store' },
  { pattern: 'erc:user_certificates:{user_id}', kind: 'store' },
  { pattern: 'lock:{resource}', kind: 'lock', ttl: '30s' },
  { pattern: 'stream:trades', kind: 'store', type: 'stream' },
  { pattern: 'stream:orders', kind: 'store', type: 'stream' },
  { pattern: 'stream:settlements', kind: 'store', type: 'stream' },
  { pattern: 'stream:meter_readings', kind: 'store', type: 'stream' },
  { pattern: 'analytics:daily_trading:{date}', kind: 'cache', ttl: '7d' },
  { pattern: 'analytics:user_activity:{user_id}', kind: 'cache', ttl: '7d' },
  { pattern: 'timeseries:prices:{pair}:{period}', kind: 'cache', ttl: '7d' },
];

export const DEFAULT_STREAMS = ['stream:trades', 'stream:orders', 'stream:settlements', 'stream:meter_readings'];

/** The streams gridctl.yaml names (as a list, or as the keys of its per-stream thresholds), else the gateway's. */
export function streamNames(streams: string[] | Record<string, unknown> | undefined): string[] {
  if (!streams) return DEFAULT_STREAMS;
  return Array.isArray(streams) ? streams : Object.keys(streams);
}
export const DEFAULT_CHANNELS = ['market:events', 'system:alerts'];

export const DEFAULT_CONFIG_PATH = 'gridctl.yaml';
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MASTER_NAME = 'gridtokenx';
