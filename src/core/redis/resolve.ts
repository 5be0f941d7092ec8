import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { registerSecret } from '../mask.js';
import type { GridctlConfig, TargetConfig, TlsConfig } from '../config/schema.js';
import { DEFAULT_MASTER_NAME } from '../config/defaults.js';
import { parseHostPort, parseRedisUrl, type ParsedRedisUrl } from './url.js';
import { readPasswordFile } from './password.js';
import type { ConnectionSpec, Credentials, RunDirState, TlsOptions, Topology } from './spec.js';

/**
 * The connection flags of every live command, as values (commands/connection-flags.ts defines
 * the flags themselves, once, keyed by these names).
 */
export interface ConnectionFlags {
  url?: string;
  target?: string;
  user?: string;
  passwordFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsServername?: string;
  tlsInsecure?: boolean;
  /** Sentinel addresses, host:port,... */
  sentinel?: string;
  masterName?: string;
  sentinelUser?: string;
  sentinelPasswordFile?: string;
  cluster?: boolean;
  nodeOnly?: boolean;
  runDir?: string;
  timeoutMs: number;
}

/**
 * The process state resolution depends on, handed in by the command context: core reads neither
 * process.env nor the working directory, and core/redis does not read `gridctl up` state itself.
 */
export interface ResolveEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  /** What relative paths given on the command line are relative to. */
  cwd: string;
  /** What relative paths in gridctl.yaml are relative to (its folder; cwd without one). */
  configDir: string;
  /** The `gridctl up` state in a run dir (an absolute path), or undefined when nothing runs there. */
  readRunDir(dir: string): Promise<RunDirState | undefined>;
  /** Where `gridctl up` keeps its state by default, relative to cwd. */
  defaultRunDir: string;
}

/** Where the spec's address and fields come from, before credentials and TLS are added. */
interface Origin {
  source: string;
  url?: string | undefined;
  target?: TargetConfig;
}

/**
 * Decide what to connect to. Precedence: --url, --target, --sentinel, --run-dir, REDIS_URL, the
 * config's defaultTarget, then what `gridctl up` started in the working directory. Flags override
 * target fields; --sentinel alone is a connection (through those sentinels, to --master-name).
 */
export async function resolveConnectionSpec(flags: ConnectionFlags, config: GridctlConfig, where: ResolveEnvironment): Promise<ConnectionSpec> {
  if (flags.nodeOnly && flags.sentinel) throw new GridctlError('USAGE', '--node-only reads one data node; it does not go with --sentinel', { hint: 'pass --url to the node (a Sentinel is followed to its master)' });
  if (flags.nodeOnly && flags.cluster) throw new GridctlError('USAGE', '--node-only and --cluster contradict each other', { hint: '--cluster reaches the whole Cluster, --node-only one node of it' });
  const origin = await chooseOrigin(flags, config, where);
  if ('topology' in origin) return flags.nodeOnly ? oneNodeOf(origin) : origin;
  const { source, url, target } = origin;
  const parsed = url ? parseRedisUrl(url) : undefined;
  const statedTopology: Topology | undefined = flags.cluster ? 'cluster' : flags.sentinel ? 'sentinel' : target?.topology;
  const topology: Topology = flags.nodeOnly ? 'standalone' : (statedTopology ?? 'standalone');
  const nodes = flags.sentinel
    ? flags.sentinel.split(',').filter((a) => a.trim()).map(parseHostPort)
    : target?.nodes?.length
      ? target.nodes.map(parseHostPort)
      : parsed
        ? [{ host: parsed.host, port: parsed.port }]
        : [];
  if (nodes.length === 0) {
    throw new GridctlError('USAGE', flags.cluster ? '--cluster needs a node to start from' : `${source} has no address`, {
      hint: flags.cluster ? 'pass --url redis://<any node of the Cluster> (--cluster is optional: a Cluster node is recognised)' : 'give the target a url or nodes',
    });
  }
  const rel = (p: string | undefined) => (p === undefined ? undefined : path.resolve(where.configDir, p));
  const cli = (p: string | undefined) => (p === undefined ? undefined : path.resolve(where.cwd, p));
  const spec: ConnectionSpec = {
    topology,
    nodes: flags.nodeOnly ? nodes.slice(0, 1) : nodes,
    auth: await dataCredentials(flags, parsed, target, where.env, rel, cli),
    timeoutMs: flags.timeoutMs,
    source,
  };
  const tls = await tlsFor(flags, parsed, target, rel, cli);
  if (tls) spec.tls = tls;
  const db = parsed?.db ?? target?.db;
  if (db !== undefined) spec.db = db;
  spec.masterName = flags.masterName ?? target?.masterName ?? config.topology?.masterName ?? DEFAULT_MASTER_NAME;
  if (topology === 'standalone') spec.detect = true;
  if (flags.nodeOnly) spec.nodeOnly = true;
  if (topology === 'sentinel') spec.sentinel = await sentinelAccess(flags, target, tls, where.env, rel, cli);
  return spec;
}

/** --node-only on what a run dir or target names: its first data node (or sentinel, refused later), alone. */
function oneNodeOf(spec: ConnectionSpec): ConnectionSpec {
  const { sentinel: _sentinel, ...rest } = spec;
  return { ...rest, topology: 'standalone', nodes: spec.nodes.slice(0, 1), detect: true, nodeOnly: true };
}

/** Which flag, variable or target names the deployment; a run dir is resolved to its spec at once. */
async function chooseOrigin(flags: ConnectionFlags, config: GridctlConfig, where: ResolveEnvironment): Promise<Origin | ConnectionSpec> {
  if (flags.url) return { source: '--url', url: flags.url };
  if (flags.target) {
    const target = config.targets?.[flags.target];
    if (!target) {
      const known = Object.keys(config.targets ?? {});
      throw new GridctlError('USAGE', `unknown target "${flags.target}"`, {
        hint: known.length ? `targets in the config: ${known.join(', ')}` : 'define targets in gridctl.yaml (or pass --config)',
      });
    }
    const source = `target ${flags.target}`;
    if (target.runDir) return specFromRunDir(path.resolve(where.configDir, target.runDir), flags, source, where);
    return { source, url: target.url, target };
  }
  if (flags.sentinel) return { source: '--sentinel' };
  if (flags.runDir) return specFromRunDir(path.resolve(where.cwd, flags.runDir), flags, `--run-dir ${flags.runDir}`, where);
  if (where.env.REDIS_URL) return { source: 'REDIS_URL', url: where.env.REDIS_URL };
  const byDefault = config.defaultTarget ? config.targets?.[config.defaultTarget] : undefined;
  if (byDefault) return { source: `target ${config.defaultTarget}`, url: byDefault.url, target: byDefault };
  const state = await where.readRunDir(path.resolve(where.cwd, where.defaultRunDir));
  if (state) return specFromLocalState(state, cliPaths(flags, where.cwd));
  throw new GridctlError('USAGE', 'no Redis to connect to', {
    hint: 'pass --url redis://host:port, --sentinel host:port,... (with --master-name), --target NAME (from gridctl.yaml), set REDIS_URL, or start one with `gridctl up`',
  });
}

/** The data nodes' user and password: URL, --user / --password-file, the target, REDIS_PASSWORD. */
async function dataCredentials(
  flags: ConnectionFlags,
  parsed: ParsedRedisUrl | undefined,
  target: TargetConfig | undefined,
  env: ResolveEnvironment['env'],
  rel: (p: string | undefined) => string | undefined,
  cli: (p: string | undefined) => string | undefined,
): Promise<Credentials> {
  const username = flags.user ?? parsed?.username ?? target?.username;
  const password = await firstPassword([
    parsed?.password,
    flags.passwordFile ? await readPasswordFile(cli(flags.passwordFile)!) : undefined,
    target?.passwordFile ? await readPasswordFile(rel(target.passwordFile)!) : undefined,
    target?.passwordEnv ? requireEnv(env, target.passwordEnv) : undefined,
    env.REDIS_PASSWORD,
  ]);
  const auth: Credentials = {};
  if (username) auth.username = username;
  if (password) auth.password = password;
  return auth;
}

async function tlsFor(
  flags: ConnectionFlags,
  parsed: ParsedRedisUrl | undefined,
  target: TargetConfig | undefined,
  rel: (p: string | undefined) => string | undefined,
  cli: (p: string | undefined) => string | undefined,
): Promise<TlsOptions | undefined> {
  const tlsConfig: TlsConfig = { ...(target?.tls ?? {}) };
  const useTls = Boolean(parsed?.tls || tlsConfig.enabled || flags.tlsCa || flags.tlsCert);
  if (!useTls) return undefined;
  return loadTls({
    ca: cli(flags.tlsCa) ?? rel(tlsConfig.ca),
    cert: cli(flags.tlsCert) ?? rel(tlsConfig.cert),
    key: cli(flags.tlsKey) ?? rel(tlsConfig.key),
    servername: flags.tlsServername ?? tlsConfig.servername,
    insecure: flags.tlsInsecure ?? tlsConfig.insecure,
  });
}

/** The sentinels' own credentials and TLS (they may have an ACL of their own). */
async function sentinelAccess(
  flags: ConnectionFlags,
  target: TargetConfig | undefined,
  tls: TlsOptions | undefined,
  env: ResolveEnvironment['env'],
  rel: (p: string | undefined) => string | undefined,
  cli: (p: string | undefined) => string | undefined,
): Promise<NonNullable<ConnectionSpec['sentinel']>> {
  const s = target?.sentinel;
  const auth: Credentials = {};
  const user = flags.sentinelUser ?? s?.username;
  const password = await firstPassword([
    flags.sentinelPasswordFile ? await readPasswordFile(cli(flags.sentinelPasswordFile)!) : undefined,
    s?.passwordFile ? await readPasswordFile(rel(s.passwordFile)!) : undefined,
    s?.passwordEnv ? requireEnv(env, s.passwordEnv) : undefined,
    env.REDIS_SENTINEL_PASSWORD,
  ]);
  if (user) auth.username = user;
  if (password) auth.password = password;
  const sentinelTls = s?.tls ?? Boolean(tls);
  return { auth, ...(sentinelTls && tls ? { tls } : {}) };
}

/** TLS file flags resolved against the working directory (they override a run dir's own files). */
function cliPaths(flags: ConnectionFlags, cwd: string): Pick<ConnectionFlags, 'timeoutMs' | 'tlsCa' | 'tlsCert' | 'tlsKey'> {
  const out: Pick<ConnectionFlags, 'timeoutMs' | 'tlsCa' | 'tlsCert' | 'tlsKey'> = { timeoutMs: flags.timeoutMs };
  for (const k of ['tlsCa', 'tlsCert', 'tlsKey'] as const) if (flags[k]) out[k] = path.resolve(cwd, flags[k]);
  return out;
}

/** A target (or --run-dir) that names a `gridctl up` run directory: connect to what runs there. */
async function specFromRunDir(dir: string, flags: ConnectionFlags, source: string, where: ResolveEnvironment): Promise<ConnectionSpec> {
  const state = await where.readRunDir(dir);
  if (!state) {
    throw new GridctlError('UNREACHABLE', `${source}: nothing is running from ${dir}`, {
      hint: 'start it with `gridctl up` (or `gridctl up --from .` for a scaffold)',
    });
  }
  return { ...(await specFromLocalState(state, cliPaths(flags, where.cwd))), source };
}

async function firstPassword(candidates: Array<string | undefined>): Promise<string | undefined> {
  const found = candidates.find((p) => p !== undefined && p !== '');
  registerSecret(found);
  return found;
}

function requireEnv(env: ResolveEnvironment['env'], name: string): string {
  const v = env[name];
  if (!v) throw new GridctlError('CONFIG_INVALID', `environment variable ${name} (the target's passwordEnv) is not set`);
  return v;
}

export async function loadTls(files: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; servername?: string | undefined; insecure?: boolean | undefined }): Promise<TlsOptions> {
  const read = async (what: string, file: string | undefined) => {
    if (!file) return undefined;
    try {
      return await readFile(file);
    } catch (err) {
      throw new GridctlError('CONFIG_NOT_FOUND', `cannot read TLS ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? ''}`, { cause: err });
    }
  };
  if (Boolean(files.cert) !== Boolean(files.key)) {
    throw new GridctlError('USAGE', 'a TLS client certificate needs its key, and a key needs its certificate', { hint: 'pass both --tls-cert and --tls-key' });
  }
  const tls: TlsOptions = { files: {} };
  const ca = await read('CA', files.ca);
  const cert = await read('certificate', files.cert);
  const key = await read('key', files.key);
  if (ca) (tls.ca = ca), (tls.files!.ca = files.ca);
  if (cert) (tls.cert = cert), (tls.files!.cert = files.cert);
  if (key) (tls.key = key), (tls.files!.key = files.key);
  if (files.servername) tls.servername = files.servername;
  if (files.insecure) tls.insecure = true;
  return tls;
}

/** Connect to what `gridctl up` started (its state file), with its admin user and TLS material. */
export async function specFromLocalState(state: RunDirState, flags: Pick<ConnectionFlags, 'timeoutMs' | 'tlsCa' | 'tlsCert' | 'tlsKey'>): Promise<ConnectionSpec> {
  const data = state.nodes.filter((n) => n.role !== 'sentinel');
  const sentinels = state.nodes.filter((n) => n.role === 'sentinel');
  const auth: Credentials = {};
  if (state.username) auth.username = state.username;
  if (state.passwordFile) auth.password = await readPasswordFile(state.passwordFile);
  const tls = state.tlsFiles
    ? await loadTls({ ca: flags.tlsCa ?? state.tlsFiles.ca, cert: flags.tlsCert ?? state.tlsFiles.cert, key: flags.tlsKey ?? state.tlsFiles.key })
    : undefined;
  const spec: ConnectionSpec = {
    topology: state.topology,
    nodes:
      state.topology === 'sentinel'
        ? sentinels.map((n) => ({ host: n.host, port: n.port }))
        : state.topology === 'cluster'
          ? data.filter((n) => n.role === 'master').map((n) => ({ host: n.host, port: n.port }))
          : [{ host: data[0]!.host, port: data[0]!.port }],
    auth,
    timeoutMs: flags.timeoutMs,
    source: `gridctl up state (${state.dir})`,
  };
  if (tls) spec.tls = tls;
  if (state.topology === 'sentinel') {
    spec.masterName = state.masterName ?? DEFAULT_MASTER_NAME;
    spec.sentinel = { auth: { ...auth }, ...(tls ? { tls } : {}) };
  }
  return spec;
}
