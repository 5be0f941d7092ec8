/** Everything needed to reach one deployment. Built by resolve.ts; consumed by connect.ts. */
export const TOPOLOGIES = ['standalone', 'sentinel', 'cluster'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export interface TlsOptions {
  /** PEM contents, already read from the files named in flags or gridctl.yaml. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  /** Skip certificate verification (test setups only). */
  insecure?: boolean;
  /** Where the material came from, for hints (paths, never contents). */
  files?: { ca?: string; cert?: string; key?: string };
}

export interface Credentials {
  username?: string;
  password?: string;
}

export interface ConnectionSpec {
  topology: Topology;
  /** standalone: the node; cluster: seed nodes; sentinel: the sentinels. */
  nodes: Array<{ host: string; port: number }>;
  masterName?: string;
  db?: number;
  auth: Credentials;
  tls?: TlsOptions;
  sentinel?: { auth: Credentials; tls?: TlsOptions };
  /** Connect and per-command timeout, ms; nothing gridctl does waits longer than this for a reply. */
  timeoutMs: number;
  /** How the spec was chosen, for messages: "--url", "target prod", "REDIS_URL", "gridctl up state". */
  source: string;
  /**
   * A URL says where, not what: ask the node what it is before connecting (detect.ts). Set for
   * every standalone spec that did not come from `gridctl up` state.
   */
  detect?: boolean;
  /** --node-only: this one node, even when it is one node of a Cluster. */
  nodeOnly?: boolean;
  /** Found by detection: the node reached alone (--node-only) is one node of a Cluster. */
  partOf?: 'cluster';
}

/**
 * What resolve.ts needs from a `gridctl up` run directory (core/local/state.ts writes it). The
 * context reads it and hands it in, so core/redis does not depend on core/local.
 */
export interface RunDirState {
  dir: string;
  topology: Topology;
  masterName?: string;
  username?: string;
  passwordFile?: string;
  tlsFiles?: { ca: string; cert: string; key: string };
  nodes: ReadonlyArray<{ role: 'master' | 'replica' | 'sentinel'; host: string; port: number }>;
}
