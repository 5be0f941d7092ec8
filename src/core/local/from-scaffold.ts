import { cp, mkdir, readFile, rm, access, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { resolveModel, type DeploymentModel } from '../scaffold/model.js';
import { redisConfPath, sentinelConfPath } from '../scaffold/render.js';
import { serverBinaries } from '../scaffold/versions.js';
import { formatRedisUrl } from '../redis/url.js';
import { findBinary } from './binaries.js';
import { freePorts, retryOnPortCollision } from './ports.js';
import { clearRunDir, launchNodes, pidFileOf } from './launch.js';
import type { LocalNode, LocalState } from './state.js';

/**
 * `gridctl up --from DIR`: run exactly the files `gridctl init` rendered into DIR, on this machine.
 * The rendered configs are copied unchanged into the run directory; the only differences are
 * (1) the deployment's paths (paths.config, paths.data) point into the run directory, (2) the
 * addresses in `replicaof` / `sentinel monitor` point at the loopback ports, and (3) a short
 * overlay appended at the end of each file (later lines win for these single-value directives):
 * loopback bind, free ports, daemonize with a pidfile and a logfile. Users, ACLs, TLS, persistence,
 * memory and every other hardening line run as rendered.
 */
export interface UpFromOptions {
  /** Directory holding gridctl.yaml and the rendered files. */
  from: string;
  /** Run directory (state.json, copied configs, data, logs). */
  dir: string;
  readyTimeoutMs?: number;
  redisServer?: string;
  redisSentinel?: string;
  onProgress?: (message: string) => void;
}

interface Proc {
  name: string;
  role: LocalNode['role'];
  rendered: string;
  port: number;
  busPort?: number;
}

export const OVERLAY_MARKER = '# ---- gridctl up --from: local overlay (loopback addresses, free ports, run-dir paths) ----';

export function upFromScaffold(opts: UpFromOptions): Promise<LocalState> {
  return retryOnPortCollision(() => startFromScaffold(opts));
}

async function startFromScaffold(opts: UpFromOptions): Promise<LocalState> {
  const from = path.resolve(opts.from);
  const dir = path.resolve(opts.dir);
  if (/\s/.test(dir)) throw new GridctlError('USAGE', `run directory "${dir}" contains whitespace`, { hint: 'pick another --run-dir' });
  const progress = opts.onProgress ?? (() => undefined);
  const { config } = await loadConfig(path.join(from, 'gridctl.yaml'), { required: true });
  const model = resolveModel(config);
  await requireRendered(from, model);

  await clearRunDir(dir);
  const bins = serverBinaries(model.version);
  const redisServer = await findBinary(bins.server, opts.redisServer);
  const redisSentinel = model.sentinels.length ? await findBinary(bins.sentinel, opts.redisSentinel) : undefined;

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const confRoot = path.join(dir, 'config');
  const dataRoot = path.join(dir, 'data');
  try {
    // The rendered tree, as it would be installed at paths.config.
    for (const entry of ['redis', 'sentinel', 'users.acl', 'secrets', 'tls']) {
      const src = path.join(from, entry);
      if (await exists(src)) await cp(src, path.join(confRoot, entry), { recursive: true, filter: (s) => !/\.staging-|\.srl$/.test(s) });
    }

    const isCluster = model.topology === 'cluster';
    const count = model.nodes.length + model.sentinels.length + (isCluster ? model.nodes.length : 0);
    const ports = await freePorts(count);
    const procs: Proc[] = [];
    const portOf = new Map<string, number>();
    model.nodes.forEach((n, i) => {
      const p: Proc = { name: n.name, role: n.role, rendered: redisConfPath(n), port: ports[i]! };
      if (isCluster) p.busPort = ports[model.nodes.length + model.sentinels.length + i]!;
      procs.push(p);
      portOf.set(`${n.ip}:${n.port}`, p.port);
    });
    model.sentinels.forEach((s, i) => procs.push({ name: s.name, role: 'sentinel', rendered: sentinelConfPath(s), port: ports[model.nodes.length + i]! }));

    const nodes: LocalNode[] = [];
    for (const p of procs) {
      const dataDir = path.join(dataRoot, p.name);
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      const configFile = path.join(confRoot, p.rendered);
      const base = p.role === 'sentinel' ? 'sentinel' : 'redis';
      const pidFile = pidFileOf({ role: p.role, dataDir });
      const logFile = path.join(dataDir, `${base}.log`);
      const text = overlayConfig(await readFile(configFile, 'utf8'), model, { confRoot, dataRoot, portOf, port: p.port, busPort: p.busPort, pidFile, logFile, sentinel: p.role === 'sentinel' });
      await writeFile(configFile, text, { mode: 0o600 });
      await chmod(configFile, 0o600);
      const node: LocalNode = { name: p.name, role: p.role, host: '127.0.0.1', port: p.port, pid: 0, configFile, logFile, dataDir };
      if (p.busPort) node.busPort = p.busPort;
      nodes.push(node);
    }

    const state: LocalState = {
      version: 1,
      topology: model.topology,
      dir,
      createdAt: new Date().toISOString(),
      tls: model.tls.enabled,
      acl: true,
      url: '',
      username: model.users.admin,
      passwordFile: path.join(confRoot, 'secrets', 'admin.env'),
      nodes,
    };
    if (model.topology === 'sentinel') state.masterName = model.masterName;
    if (model.tls.enabled) {
      const tlsDir = path.join(confRoot, 'tls');
      state.tlsFiles = { ca: path.join(tlsDir, 'ca.crt'), cert: path.join(tlsDir, 'gridctl.crt'), key: path.join(tlsDir, 'gridctl.key') };
    }
    const first = model.topology === 'sentinel' ? nodes.find((n) => n.role === 'sentinel')! : nodes[0]!;
    state.url = formatRedisUrl({ tls: model.tls.enabled, host: '127.0.0.1', port: first.port, username: model.users.admin });
    progress(`starting the nodes rendered in ${from}`);
    return await launchNodes(state, { redisServer, redisSentinel, readyTimeoutMs: opts.readyTimeoutMs, progress });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface OverlaySettings {
  confRoot: string;
  dataRoot: string;
  /** rendered "ip:port" -> local port */
  portOf: Map<string, number>;
  port: number;
  busPort?: number | undefined;
  pidFile: string;
  logFile: string;
  sentinel: boolean;
}

/** The rendered file with paths and peer addresses localised, plus the overlay block. Pure. */
export function overlayConfig(rendered: string, model: DeploymentModel, s: OverlaySettings): string {
  const local = (ip: string, port: string) => {
    const p = s.portOf.get(`${ip}:${port}`);
    if (!p) throw new GridctlError('CONFIG_INVALID', `rendered config points at ${ip}:${port}, which is not a node of gridctl.yaml`, { hint: 'run `gridctl init --from gridctl.yaml` again' });
    return p;
  };
  const lines = rendered.split('\n').map((line) => {
    let l = line.split(`${model.paths.config}/`).join(`${s.confRoot}/`).split(`${model.paths.data}/`).join(`${s.dataRoot}/`);
    l = l.replace(/^(\s*replicaof\s+)(\S+)\s+(\d+)\s*$/i, (_m, head: string, ip: string, port: string) => `${head}127.0.0.1 ${local(ip, port)}`);
    l = l.replace(/^(\s*sentinel\s+monitor\s+\S+\s+)(\S+)\s+(\d+)(\s+\d+\s*)$/i, (_m, head: string, ip: string, port: string, tail: string) => `${head}127.0.0.1 ${local(ip, port)}${tail}`);
    return l;
  });
  const overlay = [OVERLAY_MARKER, 'bind 127.0.0.1', model.tls.enabled ? `tls-port ${s.port}` : `port ${s.port}`, 'daemonize yes', 'supervised no', `pidfile ${s.pidFile}`, `logfile ${s.logFile}`];
  if (s.busPort) overlay.push(`cluster-port ${s.busPort}`, 'cluster-announce-ip 127.0.0.1');
  const body = lines.join('\n');
  return `${body}${body.endsWith('\n') ? '' : '\n'}${overlay.join('\n')}\n`;
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function requireRendered(from: string, model: DeploymentModel): Promise<void> {
  const needed = [
    'users.acl',
    'secrets/admin.env',
    ...model.nodes.map((n) => redisConfPath(n)),
    ...model.sentinels.map((s) => sentinelConfPath(s)),
    ...(model.tls.enabled ? ['tls/ca.crt', 'tls/gridctl.crt', 'tls/gridctl.key'] : []),
  ];
  for (const f of needed) {
    if (!(await exists(path.join(from, f)))) {
      throw new GridctlError('CONFIG_NOT_FOUND', `${path.join(from, f)} is missing: ${from} has not been rendered (completely)`, {
        hint: `run \`gridctl init --from ${path.join(from, 'gridctl.yaml')}\` first`,
      });
    }
  }
}
