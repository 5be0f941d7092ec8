import type { Coverage } from '../redis/coverage.js';
import type { NodeRole } from '../redis/deployment.js';

export type CheckLevel = 'PASS' | 'WARN' | 'FAIL';

export interface ChannelStat {
  channel: string;
  /** Subscribers summed over every data node (a subscriber may be connected to any of them). */
  subscribers: number;
  /** The gateway pattern it belongs to (market:events, trades:{user_id}, ...), else its prefix. */
  group: string;
  /** A sharded channel (SSUBSCRIBE, Redis 7.0+). */
  sharded: boolean;
  nodes: string[];
}

export interface ChannelGroup {
  group: string;
  channels: number;
  subscribers: number;
}

export interface CriticalChannel {
  channel: string;
  minSubscribers: number;
  subscribers: number;
  /** FAIL at 0 subscribers, WARN below the minimum. */
  status: CheckLevel;
}

export interface PubsubNode {
  address: string;
  role: NodeRole;
  /** PUBSUB NUMPAT: pattern subscriptions on this node. */
  patterns: number | null;
  error?: string;
}

export interface ChannelsReport {
  checkedAt: string;
  pattern: string | null;
  nodes: PubsubNode[];
  channels: ChannelStat[];
  groups: ChannelGroup[];
  patternSubscriptions: number;
  critical: CriticalChannel[];
  coverage: Coverage;
}

export interface OutputBufferLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

export interface SubscriberBuffer {
  node: string;
  id: string;
  addr: string;
  name: string;
  user: string;
  channels: number;
  patterns: number;
  shardChannels: number;
  /** Output buffer memory (CLIENT LIST omem). */
  omem: number;
  totMem: number;
  /** omem against the limit it reaches first (soft when set, else hard); null: no limit known. */
  usedPercent: number | null;
  status: CheckLevel;
}

export interface BuffersReport {
  checkedAt: string;
  warnPercent: number;
  /** client-output-buffer-limit pubsub per node (null when CONFIG GET is not allowed). */
  limits: Array<{ node: string; limit: OutputBufferLimit | null }>;
  subscribers: SubscriberBuffer[];
  flagged: number;
  coverage: Coverage;
}

export interface ChannelRate {
  channel: string;
  messages: number;
  perSecond: number;
  bytes: number;
  /** Only with --show-payloads: the first few payloads (UTF-8). */
  payloads?: string[];
}

export interface WatchReport {
  pattern: string;
  node: string;
  durationMs: number;
  messages: number;
  channels: ChannelRate[];
  payloadsShown: boolean;
  coverage: Coverage;
}
