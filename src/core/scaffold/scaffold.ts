import path from 'node:path';
import { stringify } from 'yaml';
import type { GridctlConfig, TargetConfig } from '../config/schema.js';
import { resolveModel, type DeploymentModel } from './model.js';
import { renderDeployment, targetName, PUBLIC_MODE, type RenderedFile } from './render.js';
import { rolesFor } from './acl.js';
import { resolvePasswords } from './secrets.js';
import { planTls, applyTls } from './tls-material.js';
import { buildPlan, applyPlan, type ScaffoldPlan } from './plan.js';
import { TEMPLATES_DIR } from './template.js';

/**
 * `gridctl init` without the CLI: gridctl.yaml (the model) -> plan -> render -> one write point.
 * Never prints or prompts; the command and its view do that.
 */
export interface ScaffoldOptions {
  outDir: string;
  config: GridctlConfig;
  /** Write gridctl.yaml too (a fresh init); false when re-rendering from an existing file. */
  writeModel: boolean;
  dryRun: boolean;
  force: boolean;
  rotateSecrets: boolean;
}

export interface ScaffoldResult {
  outDir: string;
  dryRun: boolean;
  name: string;
  topology: DeploymentModel['topology'];
  profile: DeploymentModel['profile'];
  version: DeploymentModel['version'];
  tls: boolean;
  persistence: DeploymentModel['persistence'];
  processes: Array<{ name: string; role: string; address: string }>;
  plan: ScaffoldPlan;
  warnings: string[];
}

const MODEL_FILE = 'gridctl.yaml';
const SCHEMA_FILE = path.resolve(TEMPLATES_DIR, '../schema/gridctl.schema.json');

export async function scaffold(opts: ScaffoldOptions): Promise<ScaffoldResult> {
  const outDir = path.resolve(opts.outDir);
  const model = resolveModel(opts.config);
  const passwords = await resolvePasswords(outDir, rolesFor(model), opts.rotateSecrets);
  const files: RenderedFile[] = await renderDeployment(model, passwords);
  if (opts.writeModel) {
    files.push({ path: MODEL_FILE, content: renderModelFile(withTarget(opts.config, model), outDir), mode: PUBLIC_MODE, kind: 'model' });
  }
  const tlsItems = await planTls(outDir, model);
  const planned = await buildPlan(outDir, files, tlsItems, { force: opts.force });
  await applyPlan(planned, { dryRun: opts.dryRun, writeTls: () => applyTls(outDir, model, tlsItems) });
  return {
    outDir,
    dryRun: opts.dryRun,
    name: model.name,
    topology: model.topology,
    profile: model.profile,
    version: model.version,
    tls: model.tls.enabled,
    persistence: model.persistence,
    processes: [
      ...model.nodes.map((n) => ({ name: n.name, role: n.role, address: `${n.host}:${n.port}` })),
      ...model.sentinels.map((s) => ({ name: s.name, role: 'sentinel', address: `${s.host}:${s.port}` })),
    ],
    plan: planned.plan,
    warnings: modelWarnings(model),
  };
}

/** Consequences the operator should read now rather than in an incident. */
function modelWarnings(model: DeploymentModel): string[] {
  const w: string[] = [];
  if (!model.tls.enabled && model.profile !== 'development') {
    w.push(`TLS is off in the ${model.profile} profile: passwords and data cross the network in clear text`);
  }
  if (model.persistence === 'hybrid') {
    w.push('persistence hybrid: keys with a TTL may be evicted under memory pressure, including lock:* and order:* keys; AOF fsyncs once a second (a crash can lose 1 s of writes)');
  }
  if (model.persistence === 'cache' && model.namespaces.some((n) => n.kind === 'store' || n.kind === 'lock')) {
    w.push('persistence cache: any key may be evicted and a restart loses recent writes, yet the namespaces include store and lock keys (order book, locks, settlement queues)');
  }
  if (model.policy !== 'noeviction' && model.persistence === 'store') {
    w.push(`maxmemory-policy ${model.policy} on a store deployment can evict the order book or a lock (MEM002)`);
  }
  return w;
}

/** A `targets.<profile>` entry so operators' commands reach the deployment (`--target production`). */
function withTarget(config: GridctlConfig, model: DeploymentModel): GridctlConfig {
  const name = targetName(model);
  if (config.targets?.[name]) return config;
  const tls = model.tls.enabled;
  const target: TargetConfig = { topology: model.topology, username: model.users.monitor, passwordFile: 'secrets/monitor.env' };
  const first = model.nodes[0]!;
  if (model.topology === 'standalone') target.url = `${tls ? 'rediss' : 'redis'}://${model.users.monitor}@${first.host}:${first.port}`;
  if (model.topology === 'cluster') target.nodes = model.nodes.filter((n) => n.role === 'master').map((n) => `${n.host}:${n.port}`);
  if (model.topology === 'sentinel') {
    target.nodes = model.sentinels.map((s) => `${s.host}:${s.port}`);
    target.masterName = model.masterName;
    target.sentinel = { username: model.users.monitor, passwordFile: 'secrets/monitor.env' };
  }
  if (tls) target.tls = { enabled: true, ca: 'tls/ca.crt', cert: 'tls/gridctl.crt', key: 'tls/gridctl.key' };
  // `local`: whatever `gridctl up --from .` started from these files, so `--target local` works too.
  const local: TargetConfig = { runDir: '.gridctl/local' };
  return { ...config, targets: { ...(config.targets ?? {}), [name]: target, ...(config.targets?.local ? {} : { local }) } };
}

/** gridctl.yaml text: the schema line for editors, a short header, then the model. */
function renderModelFile(config: GridctlConfig, outDir: string): string {
  const schemaRef = path.relative(outDir, SCHEMA_FILE).split(path.sep).join('/');
  const header = [
    `# yaml-language-server: $schema=${schemaRef}`,
    `# gridctl.yaml: the one model of the "${config.name ?? 'gridtokenx'}" Redis deployment.`,
    '# Edit it, then re-render every file with: gridctl init --from gridctl.yaml',
    '',
  ].join('\n');
  return header + stringify(config, { lineWidth: 0 });
}
