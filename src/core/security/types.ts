import type { Coverage } from '../redis/coverage.js';
import type { NodeRole } from '../redis/deployment.js';
import type { Topology } from '../redis/spec.js';

/** ACL LOG entries of one node grouped by reason, user and client IP. */
export interface DeniedGroup {
  node: string;
  /** auth · command · key · channel */
  reason: string;
  user: string;
  client: string;
  count: number;
  /** The commands, keys or channels refused (AUTH for auth). */
  objects: string[];
  /** ISO times; firstSeen needs Redis 7.2+ (timestamp-created), else null. */
  firstSeen: string | null;
  lastSeen: string;
}

/** One node's security posture. Fields a server does not have (Sentinel, Redis < 7.2) are null. */
export interface NodeSecurity {
  address: string;
  role: NodeRole;
  /** INFO stats acl_access_denied_* (Redis 7.2+). */
  deniedCounters: { auth: number; cmd: number; key: number; channel: number } | null;
  /** Entries ACL LOG dropped (acllog-max-len), from gaps in entry-id (Redis 7.2+). */
  logEntriesLost: number | null;
  clients: { total: number; tls: number };
  defaultUser: { enabled: boolean; nopass: boolean };
  protectedMode: boolean | null;
}

export interface UserSecurity {
  user: string;
  enabled: boolean;
  nopass: boolean;
  /** +@all / allcommands. */
  allCommands: boolean;
  /** The dangerous commands ACL DRYRUN allows it, on any data node. */
  dangerous: string[];
  nodes: string[];
}

export interface SecurityFinding {
  severity: 'critical' | 'warning' | 'info';
  id: string;
  message: string;
}

export interface SecurityReport {
  generatedAt: string;
  topology: Topology;
  nodes: NodeSecurity[];
  unreachable: Array<{ address: string; role: NodeRole; error: string }>;
  /** With --since: only what is new since the previous run (counts are the growth). */
  denied: DeniedGroup[];
  since?: { file: string; previousRun: string | null };
  users: UserSecurity[];
  /** Share of clients over TLS across every node (gridctl's own connections left out); null when there are none. */
  tlsShare: number | null;
  findings: SecurityFinding[];
  coverage: Coverage;
}
