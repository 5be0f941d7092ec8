import { mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { registerSecret } from '../mask.js';
import { writeFileAtomic, SECRET_FILE_MODE } from '../fs/atomic-write.js';
import { DEFAULT_MASTER_NAME } from '../config/defaults.js';
import { createCa, issueCert } from '../tls/pki.js';
import { formatRedisUrl } from '../redis/url.js';
import type { Topology } from '../redis/spec.js';
import { findBinary, serverToolNames } from './binaries.js';
import { freePorts, retryOnPortCollision } from './ports.js';
import { stopProcess, isOurRedis } from './process.js';
import { clearRunDir, launchNodes, pidFileOf } from './launch.js';
import { renderDataNodeConf, renderSentinelConf, type LocalNodeSettings } from './node-config.js';
import { readLocalState, type LocalNode, type LocalState } from './state.js';

export interface UpOptions {
  topology: Topology;
  /** Run directory for configs, data, logs, TLS material and state.json. */
  dir: string;
  tls?: boolean;
  acl?: boolean;
  masterName?: string;
  /** Extra redis.conf lines for every data node (tests use this for maxmemory and the like). */
  extraConfig?: string[];
  sentinelDownAfterMs?: number;
  readyTimeoutMs?: number;
  redisServer?: string;
  redisSentinel?: string;
  onProgress?: (message: string) => void;
}

interface PlannedNode extends LocalNode {
  settings: LocalNodeSettings;
}

const LAYOUT: Record<Topology, { masters: number; replicasPerMaster: number; sentinels: number }> = {
  standalone: { masters: 1, replicasPerMaster: 0, sentinels: 0 },
  sentinel: { masters: 1, replicasPerMaster: 2, sentinels: 3 },
  cluster: { masters: 3, replicasPerMaster: 1, sentinels: 0 },
};

/**
 * Start a local topology from redis-server / redis-sentinel on free loopback ports, wait until it
 * is really ready (PING, replication links, sentinel agreement, cluster_state:ok), and record it
 * in <dir>/state.json. Anything started is stopped again if a later step fails.
 */
export function upLocal(opts: UpOptions): Promise<LocalState> {
  return retryOnPortCollision(() => startLocal(opts));
}

async function startLocal(opts: UpOptions): Promise<LocalState> {
  const dir = path.resolve(opts.dir);
  const progress = opts.onProgress ?? (() => undefined);
  await clearRunDir(dir);
  const layout = LAYOUT[opts.topology];
  const redisServer = await findBinary(serverToolNames('server'), opts.redisServer);
  const redisSentinel = layout.sentinels ? await findBinary(serverToolNames('sentinel'), opts.redisSentinel) : undefined;
  await mkdir(dir, { recursive: true, mode: 0o700 });

  try {
    const dataCount = layout.masters * (1 + layout.replicasPerMaster);
    const busCount = opts.topology === 'cluster' ? dataCount : 0;
    const ports = await freePorts(dataCount + busCount + layout.sentinels);

    let tls: LocalNodeSettings['tls'];
    let tlsFiles: LocalState['tlsFiles'];
    if (opts.tls) {
      progress('generating a throwaway CA and certificates (openssl)');
      const tlsDir = path.join(dir, 'tls');
      const ca = await createCa(tlsDir, { commonName: 'gridctl local CA', days: 30 });
      const server = await issueCert(ca, tlsDir, { name: 'redis', commonName: 'redis', sans: ['127.0.0.1', 'localhost', '::1'], usage: 'both', days: 30 });
      const client = await issueCert(ca, tlsDir, { name: 'client', commonName: 'gridctl', usage: 'client', days: 30 });
      tls = { cert: server.certFile, key: server.keyFile, ca: ca.certFile };
      tlsFiles = { ca: ca.certFile, cert: client.certFile, key: client.keyFile };
    }

    let acl: LocalNodeSettings['acl'];
    let passwordFile: string | undefined;
    if (opts.acl) {
      acl = { username: 'admin', password: randomBytes(32).toString('hex') };
      registerSecret(acl.password);
      passwordFile = path.join(dir, 'admin.pass');
      await writeFileAtomic(passwordFile, acl.password + '\n', { mode: SECRET_FILE_MODE });
    }

    const plan = planNodes(opts, dir, ports, layout, tls, acl);
    for (const n of plan) {
      await mkdir(n.dataDir, { recursive: true, mode: 0o700 });
      const text =
        n.role === 'sentinel'
          ? renderSentinelConf({
              ...n.settings,
              masterName: opts.masterName ?? DEFAULT_MASTER_NAME,
              master: { host: '127.0.0.1', port: plan[0]!.port },
              quorum: Math.floor(layout.sentinels / 2) + 1,
              downAfterMs: opts.sentinelDownAfterMs ?? 2000,
            })
          : renderDataNodeConf(n.settings);
      // 0600: the config holds masterauth / sentinel auth-pass.
      await writeFile(n.configFile, text, { mode: SECRET_FILE_MODE });
      await chmod(n.configFile, SECRET_FILE_MODE);
    }

    const state: LocalState = {
      version: 1,
      topology: opts.topology,
      dir,
      createdAt: new Date().toISOString(),
      tls: Boolean(opts.tls),
      acl: Boolean(opts.acl),
      url: '',
      nodes: plan.map(({ settings: _settings, ...node }) => node),
    };
    if (opts.topology === 'sentinel') state.masterName = opts.masterName ?? DEFAULT_MASTER_NAME;
    if (acl) state.username = acl.username;
    if (passwordFile) state.passwordFile = passwordFile;
    if (tlsFiles) state.tlsFiles = tlsFiles;
    const first = opts.topology === 'sentinel' ? plan.find((n) => n.role === 'sentinel')! : plan[0]!;
    state.url = formatRedisUrl({ tls: Boolean(opts.tls), host: '127.0.0.1', port: first.port, username: acl?.username });
    return await launchNodes(state, { redisServer, redisSentinel, readyTimeoutMs: opts.readyTimeoutMs, progress });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

function planNodes(
  opts: UpOptions,
  dir: string,
  ports: number[],
  layout: (typeof LAYOUT)[Topology],
  tls: LocalNodeSettings['tls'],
  acl: LocalNodeSettings['acl'],
): PlannedNode[] {
  const nodes: PlannedNode[] = [];
  let next = 0;
  const dataCount = layout.masters * (1 + layout.replicasPerMaster);
  const busPorts = opts.topology === 'cluster' ? ports.slice(dataCount, dataCount * 2) : [];
  const sentinelPorts = ports.slice(dataCount + busPorts.length);
  const make = (name: string, role: LocalNode['role'], port: number, extra: Partial<LocalNodeSettings>): PlannedNode => {
    const dataDir = path.join(dir, name);
    const settings: LocalNodeSettings = {
      port,
      dir: dataDir,
      pidFile: pidFileOf({ role, dataDir }),
      logFile: path.join(dataDir, `${role === 'sentinel' ? 'sentinel' : 'redis'}.log`),
      ...(tls ? { tls } : {}),
      ...(acl ? { acl } : {}),
      ...extra,
    };
    const node: PlannedNode = {
      name,
      role,
      host: '127.0.0.1',
      port,
      pid: 0,
      configFile: path.join(dataDir, role === 'sentinel' ? 'sentinel.conf' : 'redis.conf'),
      logFile: settings.logFile,
      dataDir,
      settings,
    };
    if (extra.cluster) node.busPort = extra.cluster.busPort;
    return node;
  };
  const masters: PlannedNode[] = [];
  for (let m = 0; m < layout.masters; m++) {
    const i = next++;
    const cluster = opts.topology === 'cluster' ? { busPort: busPorts[i]! } : undefined;
    const node = make(`master-${m + 1}`, 'master', ports[i]!, { ...(cluster ? { cluster } : {}), extraConfig: opts.extraConfig ?? [] });
    masters.push(node);
    nodes.push(node);
  }
  for (let m = 0; m < layout.masters; m++) {
    for (let r = 0; r < layout.replicasPerMaster; r++) {
      const i = next++;
      const cluster = opts.topology === 'cluster' ? { busPort: busPorts[i]! } : undefined;
      const replicaOf = opts.topology === 'sentinel' ? { host: '127.0.0.1', port: masters[m]!.port } : undefined;
      nodes.push(
        make(`replica-${m + 1}-${r + 1}`, 'replica', ports[i]!, {
          ...(cluster ? { cluster } : {}),
          ...(replicaOf ? { replicaOf } : {}),
          extraConfig: opts.extraConfig ?? [],
        }),
      );
    }
  }
  sentinelPorts.forEach((port, s) => nodes.push(make(`sentinel-${s + 1}`, 'sentinel', port, {})));
  return nodes;
}

export interface DownResult {
  dir: string;
  stopped: Array<{ name: string; pid: number; port: number }>;
  alreadyStopped: Array<{ name: string; pid: number }>;
  found: boolean;
}

/** Stop exactly the pids `up` recorded (checking each is still our Redis), then remove the run dir. */
export async function downLocal(dirArg: string): Promise<DownResult> {
  const dir = path.resolve(dirArg);
  const state = await readLocalState(dir);
  if (!state) return { dir, stopped: [], alreadyStopped: [], found: false };
  const result: DownResult = { dir, stopped: [], alreadyStopped: [], found: true };
  // Sentinels first, so they do not start a failover while the data nodes go down.
  const order = [...state.nodes].sort((a, b) => rank(a.role) - rank(b.role));
  for (const n of order) {
    if (await isOurRedis(n.pid, n.configFile)) {
      await stopProcess(n.pid);
      result.stopped.push({ name: n.name, pid: n.pid, port: n.port });
    } else {
      result.alreadyStopped.push({ name: n.name, pid: n.pid });
    }
  }
  await rm(dir, { recursive: true, force: true });
  return result;
}

function rank(role: LocalNode['role']): number {
  return role === 'sentinel' ? 0 : role === 'replica' ? 1 : 2;
}
