import type { ConnectionFlags } from '../core/redis/resolve.js';

/** A connection flag's value as commander hands it over (its attribute name is the key). */
export type ConnectionFlagValues = Omit<ConnectionFlags, 'timeoutMs'>;

interface FlagDefinition {
  /** commander's flag syntax; its attribute name is the key of CONNECTION_FLAGS it sits under. */
  flags: string;
  help: string;
  /**
   * where: chooses the deployment; access: how to talk to whatever was chosen (credentials, TLS).
   * A Redlock instance takes only the access flags.
   */
  kind: 'where' | 'access';
}

/**
 * Every connection flag, defined once: cli.ts registers them as global options, the command
 * context reads them into ConnectionFlags, and resolve.ts interprets them. The type makes a
 * field of ConnectionFlags without its flag (or a flag without its field) a compile error.
 */
export const CONNECTION_FLAGS: { readonly [K in keyof ConnectionFlagValues]-?: FlagDefinition } = {
  url: { flags: '--url <url>', help: 'Redis URL: redis://[user[:pass]@]host:port[/db], rediss:// for TLS (env REDIS_URL); a Cluster node reaches the whole Cluster, a Sentinel its master', kind: 'where' },
  target: { flags: '--target <name>', help: 'a named connection from gridctl.yaml targets', kind: 'where' },
  user: { flags: '--user <name>', help: 'ACL user (overrides the URL / target)', kind: 'access' },
  passwordFile: { flags: '--password-file <path>', help: 'read the password from this file (or set REDIS_PASSWORD)', kind: 'access' },
  tlsCa: { flags: '--tls-ca <path>', help: 'CA certificate (PEM) to verify the server', kind: 'access' },
  tlsCert: { flags: '--tls-cert <path>', help: 'client certificate (PEM) for mutual TLS', kind: 'access' },
  tlsKey: { flags: '--tls-key <path>', help: 'client private key (PEM) for mutual TLS', kind: 'access' },
  tlsServername: { flags: '--tls-servername <name>', help: 'name to verify in the server certificate (SNI)', kind: 'access' },
  tlsInsecure: { flags: '--tls-insecure', help: 'do not verify the server certificate (testing only)', kind: 'access' },
  sentinel: { flags: '--sentinel <host:port,...>', help: 'connect through these Sentinels (alone, or with --url / --target for credentials)', kind: 'where' },
  masterName: { flags: '--master-name <name>', help: 'Sentinel master name (default gridtokenx)', kind: 'where' },
  sentinelUser: { flags: '--sentinel-user <name>', help: 'ACL user on the Sentinels', kind: 'access' },
  sentinelPasswordFile: { flags: '--sentinel-password-file <path>', help: 'Sentinel password file (or REDIS_SENTINEL_PASSWORD)', kind: 'access' },
  cluster: { flags: '--cluster', help: 'treat the URL / target nodes as Redis Cluster seed nodes (a Cluster node is also recognised without it)', kind: 'where' },
  nodeOnly: { flags: '--node-only', help: 'just the node --url names, even when it is one node of a Cluster (reports then say they are partial)', kind: 'where' },
  runDir: { flags: '--run-dir <dir>', help: 'where `gridctl up` keeps its state (default ./.gridctl/local)', kind: 'where' },
};

const KEYS = Object.keys(CONNECTION_FLAGS) as Array<keyof ConnectionFlagValues>;

/** The connection flags among a command's options (commander's optsWithGlobals()), `kind` ones only when asked. */
export function pickConnectionFlags(options: object, kind?: FlagDefinition['kind']): ConnectionFlagValues {
  const given = options as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    if (kind && CONNECTION_FLAGS[key].kind !== kind) continue;
    if (given[key] !== undefined) out[key] = given[key];
  }
  return out as ConnectionFlagValues;
}
