import type { Coverage } from '../redis/coverage.js';
import type { NodeRole } from '../redis/deployment.js';

export const GROUP_DIMENSIONS = ['user', 'name', 'lib', 'host'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

export interface IdleDistribution {
  /** Seconds since the last command (CLIENT LIST idle). */
  p50: number;
  p99: number;
  max: number;
}

export interface ClientGroup {
  /** The values of the --by dimensions, e.g. { user: 'app', name: 'gateway', lib: 'redis-rs/0.25', host: '10.0.0.5' }. */
  key: Partial<Record<GroupDimension, string>>;
  count: number;
  idle: IdleDistribution;
  /** Blocked (BLPOP, XREADGROUP BLOCK ...), in a MULTI, or with a command still being read. */
  inFlight: number;
  memoryBytes: number;
  /** Share connected to the node's TLS port (null when the TLS port is unknown). */
  tlsShare: number | null;
  /** Connections idle less than a second (the gateway's "pool efficiency > 90% active"). */
  activeShare: number;
  nodes: string[];
}

export interface ClientsNode {
  address: string;
  role: NodeRole;
  connected: number;
  maxclients: number | null;
  tlsPort: number | null;
  replicationLinks: number;
  error?: string;
}

export interface ClientsFinding {
  id: 'maxclients' | 'pool-size';
  message: string;
}

export interface ClientsReport {
  checkedAt: string;
  by: GroupDimension[];
  poolSize: number;
  clientsPercent: number;
  nodes: ClientsNode[];
  groups: ClientGroup[];
  totals: { clients: number; inFlight: number; memoryBytes: number; tlsShare: number | null };
  findings: ClientsFinding[];
  coverage: Coverage;
}

export interface KillTarget {
  node: string;
  id: string;
  addr: string;
  user: string;
  name: string;
  idleSeconds: number;
}

export interface KillReport {
  dryRun: boolean;
  idleSeconds: number;
  user: string | null;
  addr: string | null;
  /** What matched before anything changed. */
  targets: KillTarget[];
  /** Connections closed (empty on a dry run). */
  killed: KillTarget[];
  /** Matched, but active again or gone by the time of the kill: left alone. */
  skipped: KillTarget[];
  /** Connections the filter matched that gridctl never kills (its own, replication links). */
  protected: number;
  coverage: Coverage;
}
