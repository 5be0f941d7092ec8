import { isIP } from 'node:net';
import { GridctlError } from '../errors.js';
import type { GridctlConfig, NamespaceConfig, SloConfig } from '../config/schema.js';
import type { EvictionPolicy, NodeConfig, PersistenceProfile, Profile, Role } from '../config/schema-deployment.js';
import type { ServerVersion } from '../config/server-versions.js';
import { ROLES } from '../config/schema-deployment.js';
import { DEFAULT_CHANNELS, DEFAULT_MASTER_NAME, DEFAULT_NAMESPACES, DEFAULT_STREAMS, resolveSlo, streamNames } from '../config/defaults.js';
import type { Topology } from '../redis/spec.js';
import { defaultImage } from './versions.js';

/**
 * The fully resolved deployment: gridctl.yaml with every default applied and every derived value
 * (roles, IPs, quorum) computed. Rendering reads only this, so the same file always gives the
 * same output.
 */
export interface NodeModel {
  name: string;
  host: string;
  ip: string;
  port: number;
  /** Cluster bus port (port + 10000). */
  busPort: number;
  role: 'master' | 'replica';
  /** Sentinel replicas: the initial master. Cluster replicas: the master they replicate. */
  master?: string;
}

export interface SentinelModel {
  name: string;
  host: string;
  ip: string;
  port: number;
}

export interface DeploymentModel {
  name: string;
  version: ServerVersion;
  image: string;
  profile: Profile;
  topology: Topology;
  masterName: string;
  nodes: NodeModel[];
  sentinels: SentinelModel[];
  replicasPerMaster: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  nodeTimeoutMs: number;
  bind: string[];
  tls: { enabled: boolean; mutual: boolean; protocols: string[]; sans: string[]; days: number };
  users: Record<Role, string>;
  appKeys: string[];
  appChannels: string[];
  persistence: PersistenceProfile;
  maxmemory: string;
  policy: EvictionPolicy;
  backup: { schedule: string; cron: string; dir: string; keep: number };
  paths: { config: string; data: string };
  namespaces: NamespaceConfig[];
  streams: string[];
  channels: string[];
  slo: Required<SloConfig>;
}

const DEFAULT_APP_CHANNELS = ['market:events', 'system:alerts', 'trades:*', 'orders:*'];
const DEFAULT_DATA_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;

/** What the init questions decide; everything else comes from these through defaults. */
export interface InitAnswers {
  name: string;
  topology: Topology;
  profile: Profile;
  tls: boolean;
  maxmemory: string;
  persistence: PersistenceProfile;
  version: ServerVersion;
}

export function defaultAnswers(partial: Partial<InitAnswers> = {}): InitAnswers {
  const profile = partial.profile ?? 'production';
  return {
    name: partial.name ?? 'gridtokenx',
    profile,
    topology: partial.topology ?? (profile === 'development' ? 'standalone' : 'sentinel'),
    tls: partial.tls ?? profile !== 'development',
    maxmemory: partial.maxmemory ?? '1gb',
    persistence: partial.persistence ?? 'store',
    version: partial.version ?? '7.0',
  };
}

function defaultNodes(topology: Topology): NodeConfig[] {
  const count = topology === 'standalone' ? 1 : topology === 'sentinel' ? 3 : 6;
  return Array.from({ length: count }, (_, i) => ({ name: `redis-${i + 1}`, host: `10.0.0.${11 + i}`, port: DEFAULT_DATA_PORT }));
}

function defaultSentinels(): NodeConfig[] {
  // One sentinel beside each data node: three hosts that fail independently (SEN001).
  return Array.from({ length: 3 }, (_, i) => ({ name: `sentinel-${i + 1}`, host: `10.0.0.${11 + i}`, port: DEFAULT_SENTINEL_PORT }));
}

/**
 * The gridctl.yaml that `init` writes: every field explicit, so re-rendering never depends on a
 * default that a later gridctl version might change.
 */
export function buildInitialConfig(a: InitAnswers): GridctlConfig {
  const topology: NonNullable<GridctlConfig['topology']> = { kind: a.topology, nodes: defaultNodes(a.topology) };
  if (a.topology === 'sentinel') {
    topology.masterName = DEFAULT_MASTER_NAME;
    topology.sentinels = defaultSentinels();
    topology.quorum = 2;
    topology.downAfterMs = 5000;
    topology.failoverTimeoutMs = 60000;
  }
  if (a.topology === 'cluster') {
    topology.replicasPerMaster = 1;
    topology.nodeTimeoutMs = 15000;
  }
  const config: GridctlConfig = {
    version: 1,
    name: a.name,
    server: { version: a.version, image: defaultImage(a.version) },
    profile: a.profile,
    topology,
    bind: ['127.0.0.1'],
    tls: { enabled: a.tls, mutual: true, protocols: ['TLSv1.2', 'TLSv1.3'], sans: [], days: 825 },
    users: {
      app: { name: 'app', keys: [], channels: DEFAULT_APP_CHANNELS },
      monitor: { name: 'monitor' },
      backup: { name: 'backup' },
      restore: { name: 'restore' },
      replication: { name: 'replication' },
      sentinel: { name: 'sentinel' },
      admin: { name: 'admin' },
    },
    persistence: { profile: a.persistence },
    memory: { maxmemory: a.maxmemory, policy: defaultPolicy(a.persistence) },
    backup: { schedule: 'hourly', cron: '17 * * * *', dir: `/var/backups/redis/${a.name}`, keep: 48 },
    paths: { config: `/etc/redis/${a.name}`, data: `/var/lib/redis/${a.name}` },
    namespaces: DEFAULT_NAMESPACES,
    streams: DEFAULT_STREAMS,
    channels: DEFAULT_CHANNELS,
  };
  return config;
}

function defaultPolicy(p: PersistenceProfile): EvictionPolicy {
  // store: writes fail loudly instead of evicting the book or a lock (MEM002).
  // hybrid: only keys with a TTL may go; cache: anything may go.
  return p === 'store' ? 'noeviction' : p === 'cache' ? 'allkeys-lru' : 'volatile-lru';
}

function usage(message: string, hint?: string): GridctlError {
  return new GridctlError('CONFIG_INVALID', `gridctl.yaml: ${message}`, hint ? { hint } : {});
}

/** Apply defaults and derive roles; reject layouts that could never run or be safe. */
export function resolveModel(config: GridctlConfig): DeploymentModel {
  const t = config.topology;
  if (!t) throw usage('topology is missing', 'run `gridctl init` to write a complete gridctl.yaml, or add topology.kind');
  const name = config.name ?? 'gridtokenx';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw usage(`name "${name}" may only hold letters, digits, . _ -`, 'it is used in paths, unit names and the Sentinel master name');
  const version = config.server?.version ?? '7.0';
  const profile = config.profile ?? 'production';
  const persistence = config.persistence?.profile ?? 'store';
  const topology = t.kind;
  const replicasPerMaster = topology === 'cluster' ? (t.replicasPerMaster ?? 1) : topology === 'sentinel' ? Math.max(0, (t.nodes?.length ?? 3) - 1) : 0;

  const rawNodes = t.nodes?.length ? t.nodes : defaultNodes(topology);
  const nodes: NodeModel[] = rawNodes.map((n) => {
    const ip = n.ip ?? n.host;
    if (!isIP(ip)) throw usage(`node ${n.name}: host "${n.host}" is a name; give its ip too`, 'the node binds and announces an IP address');
    const port = n.port ?? DEFAULT_DATA_PORT;
    return { name: n.name, host: n.host, ip, port, busPort: port + 10000, role: 'master' };
  });
  if (topology === 'standalone' && nodes.length !== 1) throw usage(`standalone takes exactly one node, got ${nodes.length}`, 'use topology sentinel for replicas');
  if (topology === 'sentinel') {
    if (nodes.length < 2) throw usage('sentinel needs a master and at least one replica', 'list 3 nodes: the first is the initial master');
    for (const n of nodes.slice(1)) (n.role = 'replica'), (n.master = nodes[0]!.name);
  }
  if (topology === 'cluster') {
    const group = 1 + replicasPerMaster;
    if (nodes.length % group !== 0) throw usage(`cluster: ${nodes.length} nodes do not divide into groups of 1 master + ${replicasPerMaster} replicas`);
    const masters = nodes.length / group;
    if (masters < 3) throw usage(`cluster needs at least 3 masters, got ${masters} (CLU001)`, 'list 6 nodes with replicasPerMaster 1');
    nodes.slice(masters).forEach((n, i) => {
      n.role = 'replica';
      n.master = nodes[i % masters]!.name;
    });
  }
  const sentinels: SentinelModel[] =
    topology === 'sentinel'
      ? (t.sentinels?.length ? t.sentinels : defaultSentinels()).map((s) => {
          const ip = s.ip ?? s.host;
          if (!isIP(ip)) throw usage(`sentinel ${s.name}: host "${s.host}" is a name; give its ip too`);
          return { name: s.name, host: s.host, ip, port: s.port ?? DEFAULT_SENTINEL_PORT };
        })
      : [];
  if (topology === 'sentinel' && profile === 'production' && sentinels.length < 3) throw usage(`production needs at least 3 sentinels, got ${sentinels.length} (SEN001)`);
  if (topology === 'sentinel' && sentinels.length % 2 === 0) throw usage(`use an odd number of sentinels, got ${sentinels.length} (SEN002)`, 'an even number adds cost but no failure tolerance');
  const majority = Math.floor(sentinels.length / 2) + 1;
  const quorum = t.quorum ?? majority;
  if (topology === 'sentinel' && (quorum < 1 || quorum > sentinels.length)) throw usage(`quorum ${quorum} must be between 1 and ${sentinels.length} (SEN003)`);

  const names = new Set<string>();
  const endpoints = new Set<string>();
  for (const n of [...nodes, ...sentinels]) {
    if (names.has(n.name)) throw usage(`node name "${n.name}" is used twice`, 'names become file names and must be unique');
    names.add(n.name);
    const ep = `${n.ip}:${n.port}`;
    if (endpoints.has(ep)) throw usage(`two processes listen on ${ep}`);
    endpoints.add(ep);
    if (topology === 'cluster' && n.port + 10000 > 65535) throw usage(`${n.name}: port ${n.port} leaves no room for the cluster bus port (port + 10000) (CLU004)`);
  }
  const masterName = t.masterName ?? DEFAULT_MASTER_NAME;
  if (!/^[A-Za-z0-9._-]+$/.test(masterName)) throw usage(`masterName "${masterName}" may only hold letters, digits, . _ - (SEN013)`);

  const users = Object.fromEntries(ROLES.map((r) => [r, config.users?.[r]?.name ?? r])) as Record<Role, string>;
  const seen = new Set<string>();
  for (const r of ROLES) {
    if (users[r] === 'default') throw usage(`users.${r}.name may not be "default": the default user is always off`);
    if (seen.has(users[r])) throw usage(`user name "${users[r]}" is given to two roles`);
    seen.add(users[r]);
  }
  const namespaces = config.namespaces ?? DEFAULT_NAMESPACES;
  const tlsEnabled = config.tls?.enabled ?? profile !== 'development';
  const paths = { config: config.paths?.config ?? `/etc/redis/${name}`, data: config.paths?.data ?? `/var/lib/redis/${name}` };
  for (const [k, p] of Object.entries(paths)) {
    if (/[\s"'\\]/.test(p)) throw usage(`paths.${k} "${p}" may not contain spaces, quotes or backslashes`);
  }
  return {
    name,
    version,
    image: config.server?.image ?? defaultImage(version),
    profile,
    topology,
    masterName,
    nodes,
    sentinels,
    replicasPerMaster,
    quorum,
    downAfterMs: t.downAfterMs ?? 5000,
    failoverTimeoutMs: t.failoverTimeoutMs ?? 60000,
    nodeTimeoutMs: t.nodeTimeoutMs ?? 15000,
    bind: config.bind ?? ['127.0.0.1'],
    tls: {
      enabled: tlsEnabled,
      mutual: config.tls?.mutual ?? true,
      protocols: config.tls?.protocols ?? ['TLSv1.2', 'TLSv1.3'],
      sans: config.tls?.sans ?? [],
      days: config.tls?.days ?? 825,
    },
    users,
    appKeys: appKeyPatterns(namespaces, config.users?.app?.keys ?? []),
    appChannels: config.users?.app?.channels ?? DEFAULT_APP_CHANNELS,
    persistence,
    maxmemory: config.memory?.maxmemory ?? '1gb',
    policy: config.memory?.policy ?? defaultPolicy(persistence),
    backup: {
      schedule: config.backup?.schedule ?? 'hourly',
      cron: config.backup?.cron ?? '17 * * * *',
      dir: config.backup?.dir ?? `/var/backups/redis/${name}`,
      keep: config.backup?.keep ?? 48,
    },
    paths,
    namespaces,
    streams: streamNames(config.streams),
    channels: config.channels ?? DEFAULT_CHANNELS,
    slo: resolveSlo(config.slo),
  };
}

/**
 * Key patterns for the app user from the namespaces: `{placeholder}` becomes `*`, and a name
 * already matched by another pattern is dropped, so the ACL stays short and has no `~*` (AUTH017).
 */
export function appKeyPatterns(namespaces: NamespaceConfig[], extra: string[]): string[] {
  const patterns = [...new Set([...namespaces.map((n) => n.pattern.replace(/\{[^}]*\}/g, '*')), ...extra])];
  for (const p of patterns) {
    if (p === '*' || /\s/.test(p)) throw usage(`key pattern "${p}" is not allowed for the app user`, 'scope the app to its prefixes; no `*` and no spaces');
  }
  const covered = (p: string) => patterns.some((q) => q !== p && q.includes('*') && globToRegex(q).test(p));
  return patterns.filter((p) => !covered(p)).sort();
}

function globToRegex(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}
