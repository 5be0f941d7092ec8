import { z } from 'zod';
import { SERVER_VERSIONS } from './server-versions.js';
import { PERSISTENCE_PROFILES, PROFILES } from './deployment-choices.js';

export { PERSISTENCE_PROFILES, PROFILES };

/**
 * The deployment half of gridctl.yaml: what `gridctl init` renders redis.conf, users.acl,
 * sentinel.conf, TLS material and the rest from. Every field is optional here; init writes a
 * complete file, and src/core/scaffold/model.ts applies the defaults (per profile) after loading.
 */

const EVICTION_POLICIES = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;
export const ROLES = ['app', 'monitor', 'backup', 'restore', 'replication', 'sentinel', 'admin'] as const;

const nodeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lowercase name such as redis-1 (letters, digits, dashes)');

const nodeSchema = z.strictObject({
  name: nodeName.describe('Node name: file names, systemd instance and certificate CN.'),
  host: z.string().min(1).describe('Host name or IP address clients use to reach the node (goes into the certificate SAN).'),
  ip: z
    .string()
    .optional()
    .describe('IP address the node binds and announces, when host is a DNS name (default: host).'),
  port: z.number().int().min(1).max(55535).optional().describe('Client port (TLS port when TLS is on). Default 6379, 26379 for sentinels.'),
});

/** Optional fields that extend `topology` (spread into topologySchema in schema.ts). */
export const topologyDeploymentFields = {
  nodes: z.array(nodeSchema).optional().describe('Data nodes. Sentinel: the first is the initial master. Cluster: the first N/(1+replicasPerMaster) are masters.'),
  sentinels: z.array(nodeSchema).optional().describe('Sentinel processes (topology sentinel; 3 by default, an odd number).'),
  replicasPerMaster: z.number().int().min(0).max(5).optional().describe('Cluster: replicas per master (default 1).'),
  quorum: z.number().int().min(1).optional().describe('Sentinel quorum (default: a majority of the sentinels).'),
  downAfterMs: z.number().int().min(1000).optional().describe('Sentinel down-after-milliseconds (default 5000).'),
  failoverTimeoutMs: z.number().int().min(1000).optional().describe('Sentinel failover-timeout (default 60000).'),
  nodeTimeoutMs: z.number().int().min(1000).optional().describe('Cluster cluster-node-timeout (default 15000).'),
};

export const serverSchema = z.strictObject({
  version: z.enum(SERVER_VERSIONS).optional().describe(`Target server: ${SERVER_VERSIONS.join(', ')}. No directive the target does not know is rendered.`),
  image: z.string().optional().describe('Container image for docker-compose.yml, pinned (default redis:7.0.15-bookworm for 7.0, …).'),
});

export const deploymentTlsSchema = z.strictObject({
  enabled: z.boolean().optional().describe('TLS-only listeners (port 0 + tls-port). Default: on for production and staging.'),
  mutual: z.boolean().optional().describe('Require client certificates (tls-auth-clients yes). Default true.'),
  protocols: z.array(z.enum(['TLSv1.2', 'TLSv1.3'])).min(1).optional().describe('Default TLSv1.2 + TLSv1.3.'),
  sans: z.array(z.string()).optional().describe('Extra DNS names / IPs for every server certificate (load balancers, VIPs).'),
  days: z.number().int().min(1).max(3650).optional().describe('Validity of the node and client certificates (default 825).'),
});

const userSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'ACL user names: letters, digits, _ . -').optional(),
});

export const usersSchema = z.strictObject({
  app: z
    .strictObject({
      name: userSchema.shape.name,
      keys: z.array(z.string()).optional().describe('Extra key glob patterns for the app (added to those derived from namespaces).'),
      channels: z.array(z.string()).optional().describe('Pub/sub channel patterns (default market:events, system:alerts, trades:*, orders:*).'),
    })
    .optional()
    .describe('The gateway: read/write/transactions/scripting/pubsub in its namespaces, never @dangerous.'),
  monitor: userSchema.optional().describe('INFO, latency, slowlog, memory stats, cluster info; not CONFIG GET.'),
  backup: userSchema.optional().describe('SCAN, DUMP, PTTL, TYPE; read-only.'),
  restore: userSchema.optional().describe('RESTORE and writes; used only by gridctl restore.'),
  replication: userSchema.optional().describe('psync, replconf, ping: what replicas need on their master.'),
  sentinel: userSchema.optional().describe('What Sentinel needs on the data nodes.'),
  admin: userSchema.optional().describe('Operators; everything.'),
});

export const persistenceSchema = z.strictObject({
  profile: z
    .enum(PERSISTENCE_PROFILES)
    .optional()
    .describe('store: AOF (fsync always) + RDB, noeviction. cache: RDB only, allkeys-lru. hybrid: AOF everysec + RDB, volatile-lru.'),
});

export const memorySchema = z.strictObject({
  maxmemory: z
    .string()
    .regex(/^\d+(kb|mb|gb|k|m|g)?$/i, 'expected a size such as 512mb or 2gb')
    .optional()
    .describe('maxmemory per data node (default 1gb). Leave headroom: at most ~75% of RAM with persistence.'),
  policy: z.enum(EVICTION_POLICIES).optional().describe('maxmemory-policy (default from the persistence profile).'),
});

export const backupSchema = z.strictObject({
  schedule: z.string().optional().describe('systemd OnCalendar expression (default hourly).'),
  cron: z.string().optional().describe('Cron expression for the crontab example (default "17 * * * *").'),
  dir: z.string().optional().describe('Where `gridctl backup` writes (default /var/backups/redis/<name>).'),
  keep: z.number().int().min(1).optional().describe('Backups to keep (default 48).'),
});

export const pathsSchema = z.strictObject({
  config: z.string().startsWith('/').optional().describe('Where the rendered files live on the servers (default /etc/redis/<name>).'),
  data: z.string().startsWith('/').optional().describe('Data directories, one per node below it (default /var/lib/redis/<name>).'),
});

export type NodeConfig = z.infer<typeof nodeSchema>;
export type Profile = (typeof PROFILES)[number];
export type PersistenceProfile = (typeof PERSISTENCE_PROFILES)[number];
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];
export type Role = (typeof ROLES)[number];
