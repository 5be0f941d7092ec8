import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { GridctlError } from '../core/errors.js';
import { createOutput, type Output } from '../ui/output.js';
import { DEFAULT_CONFIG_PATH, DEFAULT_TIMEOUT_MS } from '../core/config/defaults.js';
import { parseDuration } from '../core/duration.js';
import type { LoadedConfig } from '../core/config/load.js';
import type { ConnectionFlags } from '../core/redis/resolve.js';
import type { Coverage } from '../core/redis/coverage.js';
import { pickConnectionFlags, type ConnectionFlagValues } from './connection-flags.js';
import type { Deployment } from '../core/redis/deployment.js';
import type { ConnectionSpec } from '../core/redis/spec.js';

/** The global options every command accepts (defined once in cli.ts; the connection flags in connection-flags.ts). */
export interface GlobalOptions extends ConnectionFlagValues {
  config?: string;
  json?: boolean;
  output?: string;
  color?: boolean;
  timeout?: string;
  yes?: boolean;
  quiet?: boolean;
  verbose?: boolean;
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
  /** The working directory, read once here: core gets it handed in. */
  cwd: string;
  loadConfig(): Promise<LoadedConfig>;
  /** Where Redis is, from the flags, the config and the environment, with its topology detected. */
  connectionSpec(): Promise<ConnectionSpec>;
  /** One independent instance at `url` (a Redlock member) with the credential and TLS flags only. */
  instanceSpec(url: string, timeoutMs: number): Promise<ConnectionSpec>;
  /** The deployment behind `spec` (by default the one connectionSpec() resolves), connected. */
  openDeployment(spec?: ConnectionSpec): Promise<Deployment>;
  /** Say on stderr what a report did not cover (each gap once per run). */
  warnCoverage(coverage: Coverage | undefined): void;
}

export function createContext(cmd: Command, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): CommandContext {
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
      const defaultPath = path.resolve(cwd, DEFAULT_CONFIG_PATH);
      if (explicitConfig === undefined && !(await access(defaultPath).then(() => true, () => false))) return { path: undefined, config: {} };
      const m = await import('../core/config/load.js');
      return m.loadConfig(explicitConfig === undefined ? defaultPath : path.resolve(cwd, explicitConfig), { required: explicitConfig !== undefined, label: explicitConfig ?? DEFAULT_CONFIG_PATH });
    })());
  const resolve = async (flags: ConnectionFlags) => {
    const loaded = await loadConfig();
    const [{ resolveConnectionSpec }, { readLocalState, DEFAULT_RUN_DIR }] = await Promise.all([import('../core/redis/resolve.js'), import('../core/local/state.js')]);
    const configDir = loaded.path ? path.dirname(loaded.path) : cwd;
    return resolveConnectionSpec(flags, loaded.config, { env, cwd, configDir, readRunDir: readLocalState, defaultRunDir: DEFAULT_RUN_DIR });
  };
  let specPromise: Promise<ConnectionSpec> | undefined;
  const connectionSpec = () =>
    (specPromise ??= (async () => {
      const flags: ConnectionFlags = { ...pickConnectionFlags(g), timeoutMs };
      if (flags.target === undefined && !flags.url && !flags.sentinel && env.GRIDCTL_TARGET) flags.target = env.GRIDCTL_TARGET;
      const { detectTopology } = await import('../core/redis/detect.js');
      const { spec, notes } = await detectTopology(await resolve(flags));
      // On a terminal the operator sees what the URL turned out to be; cron stays silent on success.
      for (const note of notes) (out.stderrIsTTY ? out.info : out.debug)(`gridctl: ${note}`);
      if (spec.partOf === 'cluster') {
        const [{ nodeOnlyCoverage }, { endpointLabel }] = await Promise.all([import('../core/redis/coverage.js'), import('../core/redis/endpoint.js')]);
        warnCoverage(nodeOnlyCoverage(endpointLabel(spec.nodes[0]!)));
      }
      out.debug(`connecting via ${spec.source} (${spec.topology}${spec.nodeOnly ? ', this node only' : ''}${spec.tls ? ', TLS' : ''})`);
      return spec;
    })());
  const warned = new Set<string>();
  const warnCoverage = (coverage: Coverage | undefined) => {
    if (!coverage || coverage.complete) return;
    const fresh = coverage.gaps.filter((gap) => !warned.has(gap));
    if (!fresh.length) return;
    for (const gap of fresh) warned.add(gap);
    out.warn(`gridctl: warning: partial ${coverage.topology} coverage (${coverage.nodes.join(', ') || 'no node'}): ${fresh.join('; ')}`);
  };
  return {
    out,
    global: g,
    json,
    yes: Boolean(g.yes),
    timeoutMs,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    cwd,
    loadConfig,
    connectionSpec,
    instanceSpec: (url, instanceTimeoutMs) => resolve({ ...pickConnectionFlags(g, 'access'), url, timeoutMs: instanceTimeoutMs }),
    async openDeployment(given?: ConnectionSpec) {
      const spec = given ?? (await connectionSpec());
      const { Deployment } = await import('../core/redis/deployment.js');
      const dep = await Deployment.open(spec);
      // Part of a deployment is said before the work starts, whatever the command does with it.
      if (spec.topology === 'cluster') warnCoverage(await dep.coverage().catch(() => undefined));
      return dep;
    },
    warnCoverage,
  };
}
