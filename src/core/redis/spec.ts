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
}
