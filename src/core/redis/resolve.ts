import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { registerSecret } from '../mask.js';
import type { GridctlConfig, TargetConfig, TlsConfig } from '../config/schema.js';
import { DEFAULT_MASTER_NAME } from '../config/defaults.js';
import { readLocalState, DEFAULT_RUN_DIR, type LocalState } from '../local/state.js';
import { parseHostPort, parseRedisUrl } from './url.js';
import { readPasswordFile } from './password.js';
import type { ConnectionSpec, Credentials, TlsOptions, Topology } from './spec.js';

/** Connection flags shared by every live command (see cli.ts for their help texts). */
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
  sentinels?: string;
  masterName?: string;
  sentinelUser?: string;
  sentinelPasswordFile?: string;
  cluster?: boolean;
  runDir?: string;
  timeoutMs: number;
}

/**
 * Decide what to connect to. Precedence: --url, then --target, then --run-dir, then REDIS_URL,
 * then the config's defaultTarget, then what `gridctl up` started in this directory. Flags
 * override target fields.
 */
export async function resolveConnectionSpec(
  flags: ConnectionFlags,
  config: GridctlConfig,
  env: NodeJS.ProcessEnv = process.env,
  configDir: string = process.cwd(),
): Promise<ConnectionSpec> {
  let target: TargetConfig | undefined;
  let source: string;
  let url = flags.url;
  if (url) source = '--url';
  else if (flags.target) {
    target = config.targets?.[flags.target];
    if (!target) {
      const known = Object.keys(config.targets ?? {});
      throw new GridctlError('USAGE', `unknown target "${flags.target}"`, {
        hint: known.length ? `targets in the config: ${known.join(', ')}` : 'define targets in gridctl.yaml (or pass --config)',
      });
    }
    source = `target ${flags.target}`;
    url = target.url;
    if (target.runDir) return specFromRunDir(path.resolve(configDir, target.runDir), flags, source);
  } else if (flags.runDir) {
    return specFromRunDir(path.resolve(flags.runDir), flags, `--run-dir ${flags.runDir}`);
  } else if (env.REDIS_URL) {
    url = env.REDIS_URL;
    source = 'REDIS_URL';
  } else if (config.defaultTarget && config.targets?.[config.defaultTarget]) {
    target = config.targets[config.defaultTarget];
    source = `target ${config.defaultTarget}`;
    url = target!.url;
  } else {
    const state = await readLocalState(path.resolve(DEFAULT_RUN_DIR));
    if (state) return specFromLocalState(state, flags);
    throw new GridctlError('USAGE', 'no Redis to connect to', {
      hint: 'pass --url redis://host:port, --target NAME (from gridctl.yaml), set REDIS_URL, or start one with `gridctl up`',
    });
  }

  const parsed = url ? parseRedisUrl(url) : undefined;
  const topology: Topology = flags.cluster ? 'cluster' : flags.sentinels ? 'sentinel' : (target?.topology ?? 'standalone');
  const nodes = flags.sentinels
    ? flags.sentinels.split(',').map(parseHostPort)
    : target?.nodes?.length
      ? target.nodes.map(parseHostPort)
      : parsed
        ? [{ host: parsed.host, port: parsed.port }]
        : [];
  if (nodes.length === 0) throw new GridctlError('USAGE', `${source} has no address`, { hint: 'give the target a url or nodes' });

  const rel = (p: string | undefined) => (p === undefined ? undefined : path.resolve(configDir, p));
  const username = flags.user ?? parsed?.username ?? target?.username;
  const password = await firstPassword([
    parsed?.password,
    flags.passwordFile ? await readPasswordFile(flags.passwordFile) : undefined,
    target?.passwordFile ? await readPasswordFile(rel(target.passwordFile)!) : undefined,
    target?.passwordEnv ? requireEnv(env, target.passwordEnv) : undefined,
    env.REDIS_PASSWORD,
  ]);
  const auth: Credentials = {};
  if (username) auth.username = username;
  if (password) auth.password = password;

  const tlsConfig: TlsConfig = { ...(target?.tls ?? {}) };
  const useTls = Boolean(parsed?.tls || tlsConfig.enabled || flags.tlsCa || flags.tlsCert);
  const tls = useTls
    ? await loadTls({
        ca: flags.tlsCa ?? rel(tlsConfig.ca),
        cert: flags.tlsCert ?? rel(tlsConfig.cert),
        key: flags.tlsKey ?? rel(tlsConfig.key),
        servername: flags.tlsServername ?? tlsConfig.servername,
        insecure: flags.tlsInsecure ?? tlsConfig.insecure,
      })
    : undefined;

  const spec: ConnectionSpec = { topology, nodes, auth, timeoutMs: flags.timeoutMs, source };
  if (tls) spec.tls = tls;
  const db = parsed?.db ?? target?.db;
  if (db !== undefined) spec.db = db;
  if (topology === 'sentinel') {
    spec.masterName = flags.masterName ?? target?.masterName ?? config.topology?.masterName ?? DEFAULT_MASTER_NAME;
    const s = target?.sentinel;
    const sentinelAuth: Credentials = {};
    const sUser = flags.sentinelUser ?? s?.username;
    const sPass = await firstPassword([
      flags.sentinelPasswordFile ? await readPasswordFile(flags.sentinelPasswordFile) : undefined,
      s?.passwordFile ? await readPasswordFile(rel(s.passwordFile)!) : undefined,
      s?.passwordEnv ? requireEnv(env, s.passwordEnv) : undefined,
      env.REDIS_SENTINEL_PASSWORD,
    ]);
    if (sUser) sentinelAuth.username = sUser;
    if (sPass) sentinelAuth.password = sPass;
    const sentinelTls = s?.tls ?? Boolean(tls);
    spec.sentinel = { auth: sentinelAuth, ...(sentinelTls && tls ? { tls } : {}) };
  }
  return spec;
}

/** A target (or --run-dir) that names a `gridctl up` run directory: connect to what runs there. */
async function specFromRunDir(dir: string, flags: ConnectionFlags, source: string): Promise<ConnectionSpec> {
  const state = await readLocalState(dir);
  if (!state) {
    throw new GridctlError('UNREACHABLE', `${source}: nothing is running from ${dir}`, {
      hint: 'start it with `gridctl up` (or `gridctl up --from .` for a scaffold)',
    });
  }
  return { ...(await specFromLocalState(state, flags)), source };
}

async function firstPassword(candidates: Array<string | undefined>): Promise<string | undefined> {
  const found = candidates.find((p) => p !== undefined && p !== '');
  registerSecret(found);
  return found;
}

function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
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
export async function specFromLocalState(state: LocalState, flags: Pick<ConnectionFlags, 'timeoutMs' | 'tlsCa' | 'tlsCert' | 'tlsKey'>): Promise<ConnectionSpec> {
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
