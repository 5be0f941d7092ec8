import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { GridctlError } from '../core/errors.js';
import { createOutput, type Output } from '../ui/output.js';
import { DEFAULT_CONFIG_PATH, DEFAULT_TIMEOUT_MS } from '../core/config/defaults.js';
import { parseDuration } from '../core/duration.js';
import type { LoadedConfig } from '../core/config/load.js';
import type { ConnectionFlags } from '../core/redis/resolve.js';
import type { Deployment } from '../core/redis/deployment.js';
import type { ConnectionSpec } from '../core/redis/spec.js';

/** The global options every command accepts (defined once in cli.ts). */
export interface GlobalOptions {
  url?: string;
  target?: string;
  config?: string;
  json?: boolean;
  output?: string;
  color?: boolean;
  timeout?: string;
  yes?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  user?: string;
  passwordFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsServername?: string;
  tlsInsecure?: boolean;
  sentinel?: string;
  masterName?: string;
  sentinelUser?: string;
  sentinelPasswordFile?: string;
  cluster?: boolean;
  runDir?: string;
}

/**
 * What a command's action gets: output channels, the merged global options, and lazy access to
 * gridctl.yaml and the live deployment (so commands that need neither never load them).
 */
export interface CommandContext {
  out: Output;
  global: GlobalOptions;
  json: boolean;
  yes: boolean;
  timeoutMs: number;
  /** stdin and stdout are both terminals: prompts and progress are allowed. */
  interactive: boolean;
  loadConfig(): Promise<LoadedConfig>;
  connectionSpec(): Promise<ConnectionSpec>;
  /** The deployment behind `spec` (by default the one connectionSpec() resolves), connected. */
  openDeployment(spec?: ConnectionSpec): Promise<Deployment>;
}

export function createContext(cmd: Command, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  if (g.output !== undefined && g.output !== 'json' && g.output !== 'table') {
    throw new GridctlError('USAGE', `invalid --output "${g.output}"`, { hint: 'use -o table or -o json' });
  }
  const json = Boolean(g.json) || g.output === 'json';
  const timeoutMs = g.timeout !== undefined ? parseDuration(g.timeout, '--timeout') : env.GRIDCTL_TIMEOUT ? parseDuration(env.GRIDCTL_TIMEOUT, 'GRIDCTL_TIMEOUT') : DEFAULT_TIMEOUT_MS;
  if (timeoutMs <= 0) throw new GridctlError('USAGE', '--timeout must be greater than 0');
  const out = createOutput({ json, quiet: Boolean(g.quiet), verbose: Boolean(g.verbose) });
  const explicitConfig = g.config ?? env.GRIDCTL_CONFIG;
  let configPromise: Promise<LoadedConfig> | undefined;
  const loadConfig = () =>
    (configPromise ??= (async () => {
      // No gridctl.yaml here and none asked for: nothing to parse, so the YAML parser and the
      // schema are not even loaded (~20 ms of every such command's start-up).
      if (explicitConfig === undefined && !(await access(DEFAULT_CONFIG_PATH).then(() => true, () => false))) return { path: undefined, config: {} };
      const m = await import('../core/config/load.js');
      return m.loadConfig(explicitConfig ?? DEFAULT_CONFIG_PATH, { required: explicitConfig !== undefined });
    })());
  const connectionSpec = async () => {
    const loaded = await loadConfig();
    const { resolveConnectionSpec } = await import('../core/redis/resolve.js');
    const flags: ConnectionFlags = { timeoutMs };
    for (const [from, to] of [
      ['url', 'url'], ['target', 'target'], ['user', 'user'], ['passwordFile', 'passwordFile'], ['tlsCa', 'tlsCa'],
      ['tlsCert', 'tlsCert'], ['tlsKey', 'tlsKey'], ['tlsServername', 'tlsServername'], ['tlsInsecure', 'tlsInsecure'],
      ['sentinel', 'sentinels'], ['masterName', 'masterName'], ['sentinelUser', 'sentinelUser'],
      ['sentinelPasswordFile', 'sentinelPasswordFile'], ['cluster', 'cluster'], ['runDir', 'runDir'],
    ] as const) {
      const v = g[from];
      if (v !== undefined) (flags as unknown as Record<string, unknown>)[to] = v;
    }
    if (flags.target === undefined && env.GRIDCTL_TARGET) flags.target = env.GRIDCTL_TARGET;
    const configDir = loaded.path ? path.dirname(loaded.path) : process.cwd();
    const spec = await resolveConnectionSpec(flags, loaded.config, env, configDir);
    out.debug(`connecting via ${spec.source} (${spec.topology}${spec.tls ? ', TLS' : ''})`);
    return spec;
  };
  return {
    out,
    global: g,
    json,
    yes: Boolean(g.yes),
    timeoutMs,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    loadConfig,
    connectionSpec,
    async openDeployment(given?: ConnectionSpec) {
      const spec = given ?? (await connectionSpec());
      const { Deployment } = await import('../core/redis/deployment.js');
      return Deployment.open(spec);
    },
  };
}
