import { z } from 'zod';
import { backupConfigSchema } from './schema-backup.js';
import { lockConfigSchema, orderbookConfigSchema } from './schema-incident.js';
import { memoryAnalysisSchema } from './schema-memory.js';
import { checkConfigSchema } from './schema-check.js';
import { clientsConfigSchema, pubsubConfigSchema, streamsConfigSchema } from './schema-realtime.js';
import { topologyDeploymentFields, serverSchema, deploymentTlsSchema, usersSchema, persistenceSchema, memorySchema, pathsSchema, PROFILES } from './schema-deployment.js';

/**
 * The gridctl.yaml model. Every object is strict: an unknown key is an error with a did-you-mean,
 * because a typo such as `maxmemroy` silently ignored is how a config drifts from what was meant.
 * Defaults are NOT applied here (see defaults.ts): values are merged from file, environment and
 * flags first, so a default never hides what the operator wrote.
 */

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 10.0.0.5:26379');

const tlsSchema = z.strictObject({
  enabled: z.boolean().optional().describe('Use TLS (implied by a rediss:// URL).'),
  ca: z.string().optional().describe('CA certificate file (PEM) that signed the server certificates.'),
  cert: z.string().optional().describe('Client certificate (PEM), for servers with tls-auth-clients yes.'),
  key: z.string().optional().describe('Client private key (PEM).'),
  servername: z.string().optional().describe('SNI / name to verify in the server certificate.'),
  insecure: z.boolean().optional().describe('Skip certificate verification (never in production).'),
});

const credentialsSchema = {
  username: z.string().optional().describe('ACL user name.'),
  passwordEnv: z.string().optional().describe('Name of the environment variable holding the password.'),
  passwordFile: z
    .string()
    .optional()
    .describe('File holding the password (the whole file, or a PASSWORD=/REDIS_PASSWORD= line of an env file).'),
};

const targetSchema = z.strictObject({
  url: z.string().optional().describe('redis:// or rediss:// URL; a password in it is accepted but discouraged.'),
  runDir: z
    .string()
    .optional()
    .describe('Connect to what `gridctl up` (or `gridctl up --from`) started in this run directory, relative to gridctl.yaml.'),
  topology: z.enum(['standalone', 'sentinel', 'cluster']).optional(),
  nodes: z.array(hostPort).optional().describe('Cluster seed nodes, or Sentinel addresses for topology sentinel.'),
  masterName: z.string().optional().describe('Sentinel master name.'),
  db: z.number().int().min(0).optional(),
  ...credentialsSchema,
  sentinel: z
    .strictObject({
      ...credentialsSchema,
      tls: z.boolean().optional().describe('Connect to the sentinels over TLS (default: same as data nodes).'),
    })
    .optional(),
  tls: tlsSchema.optional(),
});

const sloSchema = z.strictObject({
  latencyMs: z.number().positive().optional().describe('PING latency p99 SLO in milliseconds (default 1).'),
  pingSamples: z.number().int().min(1).max(10000).optional().describe('PING samples per node (default 20).'),
  memoryPercent: z.number().min(1).max(100).optional().describe('used_memory / maxmemory SLO in percent (default 70).'),
  fragmentationRatio: z.number().min(1).optional().describe('mem_fragmentation_ratio above which to warn (default 1.5).'),
  hitRatePercent: z.number().min(0).max(100).optional().describe('Keyspace hit rate SLO in percent (default 80).'),
  clientsPercent: z.number().min(1).max(100).optional().describe('connected_clients / maxclients warn level (default 80).'),
  replicationLagSeconds: z.number().min(0).optional().describe('Replica lag warn level in seconds (default 10).'),
  lastSaveMaxAgeHours: z.number().positive().optional().describe('Age of the last successful RDB save to warn at (default 24).'),
  streamLag: z.number().int().min(0).optional().describe('Consumer-group lag (entries) to warn at (default 1000).'),
  streamPending: z.number().int().min(0).optional().describe('Pending entries per group to warn at (default 1000).'),
  backupMaxAge: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 26h, 2d')
    .optional()
    .describe('gridctl health: FAIL when the newest successful backup is older than this (default 26h); also the rendered alert.'),
});

const namespaceSchema = z.strictObject({
  pattern: z.string().min(1).describe('Key pattern with {placeholders}, e.g. user:session:{session_id}.'),
  kind: z.enum(['store', 'cache', 'ephemeral', 'lock']).describe('store = must not be lost or evicted.'),
  ttl: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 30s, 15m, 24h')
    .optional()
    .describe('Expected TTL.'),
  type: z.enum(['string', 'hash', 'list', 'set', 'zset', 'stream']).optional(),
  description: z.string().optional(),
});

const topologySchema = z.strictObject({
  kind: z.enum(['standalone', 'sentinel', 'cluster']).describe('How the deployment is laid out.'),
  masterName: z.string().optional().describe('Sentinel master name (default gridtokenx).'),
  ...topologyDeploymentFields,
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).optional().describe('gridctl.yaml format version.'),
  name: z.string().optional().describe('Deployment name.'),
  topology: topologySchema.optional(),
  defaultTarget: z.string().optional().describe('Target used when neither --url, --target nor REDIS_URL is given.'),
  targets: z.record(z.string(), targetSchema).optional().describe('Named connections, chosen with --target NAME.'),
  slo: sloSchema.optional(),
  namespaces: z.array(namespaceSchema).optional().describe('The gateway key namespaces (DESIGN.md).'),
  streams: streamsConfigSchema.optional().describe('Streams whose consumer groups health and `gridctl stream` check: a list of names, or thresholds per stream and group.'),
  channels: z.array(z.string()).optional().describe('Pub/sub channels that should have subscribers.'),
  pubsub: pubsubConfigSchema.optional().describe('gridctl pubsub: critical channels and their subscriber minimum, output-buffer warn level.'),
  clients: clientsConfigSchema.optional().describe('gridctl clients: connection pool size per app instance.'),
  lock: lockConfigSchema.optional().describe('gridctl lock: lock key patterns, prefix, audit log.'),
  orderbook: orderbookConfigSchema.optional().describe('gridctl orderbook: layout and key names.'),
  server: serverSchema.optional().describe('gridctl init: target server version and container image.'),
  profile: z.enum(PROFILES).optional().describe('gridctl init: environment profile (production, staging, development).'),
  bind: z.array(z.string()).optional().describe('gridctl init: addresses every node binds besides its own IP (default 127.0.0.1).'),
  tls: deploymentTlsSchema.optional().describe('gridctl init: TLS for the rendered deployment.'),
  users: usersSchema.optional().describe('gridctl init: ACL user names by role.'),
  persistence: persistenceSchema.optional().describe('gridctl init: persistence profile.'),
  memory: memorySchema.optional().describe('gridctl init: maxmemory and policy.'),
  backup: backupConfigSchema.optional().describe('gridctl init: backup schedule and destination; gridctl backup/restore: dir, keep, mode, encryptKeyFile, fromReplica, maxRate.'),
  memoryAnalysis: memoryAnalysisSchema.optional().describe('gridctl memory: big-key thresholds, prefix depth, samples, fail-on.'),
  paths: pathsSchema.optional().describe('gridctl init: where the files and data live on the servers.'),
  check: checkConfigSchema.optional().describe('gridctl check: target version, profiles, rule overrides (each with a reason).'),
});

export type GridctlConfig = z.infer<typeof configSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
export type SloConfig = z.infer<typeof sloSchema>;
export type NamespaceConfig = z.infer<typeof namespaceSchema>;
export type TlsConfig = z.infer<typeof tlsSchema>;
