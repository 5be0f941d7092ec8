import path from 'node:path';
import type { Command } from 'commander';
import { GridctlError } from '../core/errors.js';
import { createOutput, type Output } from '../ui/output.js';
import { terminalInteraction, type Interaction } from '../ui/interaction.js';
import { DEFAULT_TIMEOUT_MS } from '../core/config/defaults.js';
import { findConfig } from '../core/config/find-config.js';
import { detectConnection, openDeployment, resolveConnection } from '../core/connection-on-demand.js';
import { parseDuration } from '../core/duration.js';
import { takeOverSignals } from '../core/cancel.js';
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
 * What a command's `run` gets: output channels, the operator's answers, the merged global options,
 * the process state it may depend on (env, cwd), and lazy access to gridctl.yaml and the live
 * deployment (so commands that need neither never load them). Core receives all of it as values.
 */
export interface CommandContext {
  out: Output;
  ui: Interaction;
  global: GlobalOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  json: boolean;
  yes: boolean;
  timeoutMs: number;
  /** stdin and stdout are both terminals: prompts and progress are allowed. */
  interactive: boolean;
  loadConfig(): Promise<LoadedConfig>;
  /** The folder relative paths in gridctl.yaml are relative to: the config's own, else the cwd. */
  configDir(): Promise<string>;
  /** Where Redis is, from the flags, the config and the environment, with its topology detected. */
  connectionSpec(): Promise<ConnectionSpec>;
  /** One independent instance at `url` (a Redlock member) with the credential and TLS flags only. */
  instanceSpec(url: string, timeoutMs: number): Promise<ConnectionSpec>;
  /** Say on stderr what a report did not cover (each gap once per run). */
  warnCoverage(coverage: Coverage | undefined): void;
  /** The deployment behind `spec` (by default the one connectionSpec() resolves), connected. */
  openDeployment(spec?: ConnectionSpec): Promise<Deployment>;
  /** `--help` of the program, or of one of its commands (undefined when there is no such command). */
  helpText(command?: string): string | undefined;
  /** Route this process' signals to `handler` (a supervisor forwarding them); returns the function that gives them back. */
  borrowSignals(handler: (signal: NodeJS.Signals) => void): () => void;
}

export interface ContextSetup {
  global: GlobalOptions;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Defaults to stdout/stderr of this process. */
  out?: Output;
  /** Defaults to questions on this process' terminal. */
  ui?: Interaction;
  interactive?: boolean;
  helpText?: (command?: string) => string | undefined;
}

/** The context of a commander action: this process' options, environment and terminal. */
export function contextFromCommand(cmd: Command): CommandContext {
  return createContext({ global: cmd.optsWithGlobals() as GlobalOptions, helpText: (name) => helpOf(cmd, name) });
}

/** What `--help` prints for the program or one of its commands, captured instead of written. */
function helpOf(cmd: Command, name: string | undefined): string | undefined {
  let program = cmd;
  while (program.parent) program = program.parent;
  const target = name === undefined ? program : program.commands.find((c) => c.name() === name || c.aliases().includes(name));
  if (!target) return undefined;
  let text = '';
  target.configureOutput({ writeOut: (s) => void (text += s) });
  target.outputHelp();
  return text;
}

export function createContext(setup: ContextSetup): CommandContext {
  const g = setup.global;
  const env = setup.env ?? process.env;
  const cwd = setup.cwd ?? process.cwd();
  if (g.output !== undefined && g.output !== 'json' && g.output !== 'table') {
    throw new GridctlError('USAGE', `invalid --output "${g.output}"`, { hint: 'use -o table or -o json' });
  }
  const json = Boolean(g.json) || g.output === 'json';
  const timeoutMs = g.timeout !== undefined ? parseDuration(g.timeout, '--timeout') : env.GRIDCTL_TIMEOUT ? parseDuration(env.GRIDCTL_TIMEOUT, 'GRIDCTL_TIMEOUT') : DEFAULT_TIMEOUT_MS;
  if (timeoutMs <= 0) throw new GridctlError('USAGE', '--timeout must be greater than 0');
  const out = setup.out ?? createOutput({ json, quiet: Boolean(g.quiet), verbose: Boolean(g.verbose) });
  const interactive = setup.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const ui = setup.ui ?? terminalInteraction({ yes: Boolean(g.yes), interactive });
  const explicitConfig = g.config ?? env.GRIDCTL_CONFIG;
  let configPromise: Promise<LoadedConfig> | undefined;
  const loadConfig = () => (configPromise ??= findConfig(cwd, explicitConfig));
  const configDir = async () => {
    const loaded = await loadConfig();
    return loaded.path ? path.resolve(cwd, path.dirname(loaded.path)) : cwd;
  };
  const resolve = async (flags: ConnectionFlags) => resolveConnection(flags, (await loadConfig()).config, { env, cwd, configDir: await configDir() });
  let specPromise: Promise<ConnectionSpec> | undefined;
  const connectionSpec = () =>
    (specPromise ??= (async () => {
      const flags: ConnectionFlags = { ...pickConnectionFlags(g), timeoutMs };
      if (flags.target === undefined && !flags.url && !flags.sentinel && env.GRIDCTL_TARGET) flags.target = env.GRIDCTL_TARGET;
      const { spec, notes, coverage } = await detectConnection(await resolve(flags));
      // On a terminal the operator sees what the URL turned out to be; cron stays silent on success.
      for (const note of notes) (out.stderrIsTTY ? out.info : out.debug)(`gridctl: ${note}`);
      warnCoverage(coverage);
      out.debug(`connecting via ${spec.source} (${spec.topology}${spec.nodeOnly ? ', this node only' : ''}${spec.tls ? ', TLS' : ''})`);
      return spec;
    })());
  const warnCoverage = coverageWarner(out);
  return {
    out,
    ui,
    global: g,
    env,
    cwd,
    json,
    yes: Boolean(g.yes),
    timeoutMs,
    interactive,
    loadConfig,
    configDir,
    connectionSpec,
    instanceSpec: (url, instanceTimeoutMs) => resolve({ ...pickConnectionFlags(g, 'access'), url, timeoutMs: instanceTimeoutMs }),
    warnCoverage,
    helpText: setup.helpText ?? (() => undefined),
    borrowSignals,
    async openDeployment(given?: ConnectionSpec) {
      const spec = given ?? (await connectionSpec());
      const { deployment, coverage } = await openDeployment(spec);
      // Part of a deployment is said before the work starts, whatever the command does with it.
      warnCoverage(coverage);
      return deployment;
    },
  };
}

/** Signals a supervisor passes on, so `kill -TERM <gridctl>` (or Ctrl-C) stops its command, not just gridctl. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * SIGINT/SIGTERM belong to main.ts, so they are borrowed through cancel.ts (main.ts then neither
 * cancels nor exits); the others have no handler of gridctl's and are listened to directly, as are
 * SIGINT/SIGTERM when nobody listens (a test calling a command without main.ts).
 */
function borrowSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  const giveBack = takeOverSignals(handler);
  const listened = FORWARDED_SIGNALS.filter((s) => (s !== 'SIGINT' && s !== 'SIGTERM') || process.listenerCount(s) === 0);
  for (const s of listened) process.on(s, handler);
  return () => {
    giveBack();
    for (const s of listened) process.removeListener(s, handler);
  };
}

/** Say on stderr what a report did not cover, each gap once per run. */
function coverageWarner(out: Output): (coverage: Coverage | undefined) => void {
  const warned = new Set<string>();
  return (coverage) => {
    if (!coverage || coverage.complete) return;
    const fresh = coverage.gaps.filter((gap) => !warned.has(gap));
    if (!fresh.length) return;
    for (const gap of fresh) warned.add(gap);
    out.warn(`gridctl: warning: partial ${coverage.topology} coverage (${coverage.nodes.join(', ') || 'no node'}): ${fresh.join('; ')}`);
  };
}
