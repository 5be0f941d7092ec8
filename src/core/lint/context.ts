import type { NamespaceConfig } from '../config/schema.js';
import type { TargetVersion } from './versions/directives.js';

export type Profile = 'store' | 'cache';
export type UserRole = 'app' | 'admin' | 'monitor' | 'backup' | 'restore' | 'replication' | 'sentinel' | 'default';

/** What the rules know about the deployment beyond the files: from gridctl.yaml, flags, or defaults. */
export interface LintContext {
  version: TargetVersion;
  /** Profile of every data node unless `profiles` says otherwise; undefined = infer per file. */
  profile: Profile | undefined;
  /** basename glob -> profile. */
  profiles: Record<string, Profile>;
  /** Namespaces gridctl.yaml declares (store namespaces make eviction an error). */
  namespaces: NamespaceConfig[];
  topology?: { kind: 'standalone' | 'sentinel' | 'cluster'; masterName?: string; sentinels?: number; masters?: number; replicas?: number };
  /** Host names / IPs clients use to reach every node (for SAN checks when a file cannot be matched to a node). */
  nodeAddresses: string[];
  /** Nodes from gridctl.yaml; a file is matched to one by name, IP or port (for SAN checks). */
  nodes: Array<{ name: string; host: string; ip?: string; port?: number }>;
  certExpiryDays: number;
  /** User names allowed to keep nopass (AUTH008). */
  allowNopassUsers: string[];
  userRoles: Record<string, UserRole>;
  /** Host RAM in bytes (MEM004/MEM005) and fd limit (OPS005), when known. */
  hostMemoryBytes?: number;
  maxOpenFiles?: number;
  /** False when the target redis-server is built without TLS (VER002). */
  tlsBuild: boolean;
  /**
   * Deployed paths -> where the same files sit in the checked tree (paths.config of gridctl.yaml
   * -> the folder of gridctl.yaml), so a scaffold rendered for /etc/redis/<name> is checked in place.
   */
  pathMap: Array<{ from: string; to: string }>;
  /** A gridctl.yaml was found. */
  fromConfig: boolean;
  now: Date;
}

export function defaultContext(overrides: Partial<LintContext> = {}): LintContext {
  return {
    version: '7.0',
    profile: undefined,
    profiles: {},
    namespaces: [],
    nodeAddresses: [],
    nodes: [],
    certExpiryDays: 30,
    allowNopassUsers: [],
    userRoles: {},
    tlsBuild: true,
    pathMap: [],
    fromConfig: false,
    now: new Date(),
    ...overrides,
  };
}
