import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { parseMemory } from './tokenize.js';
import { defaultContext, type LintContext, type UserRole } from './context.js';
import type { RuleOverride } from './engine.js';
import type { TargetVersion } from './versions/directives.js';
import { DEFAULT_NAMESPACES } from '../config/defaults.js';

/**
 * Turn gridctl.yaml into what the rules need: target version (check.version, else server.version),
 * profile (check.profile, else persistence.profile), namespaces, topology counts, node addresses,
 * user roles, and the rule overrides. Without a file every field keeps its neutral default.
 */
export function contextFromConfig(loaded: LoadedConfig, flags: { version?: TargetVersion; now?: Date; configDir?: string } = {}): { ctx: LintContext; overrides: Record<string, RuleOverride>; files: string[] } {
  const c = loaded.config;
  const check = c.check ?? {};
  const fromConfig = loaded.path !== undefined;
  const persistence = c.persistence?.profile;
  const t = c.topology;
  const nodes = [...(t?.nodes ?? []), ...(t?.sentinels ?? [])].map((n) => ({ name: n.name, host: n.host, ...(n.ip ? { ip: n.ip } : {}), ...(n.port ? { port: n.port } : {}) }));
  const userRoles: Record<string, UserRole> = {};
  for (const [role, u] of Object.entries(c.users ?? {})) if (u?.name) userRoles[u.name] = role as UserRole;
  for (const [name, role] of Object.entries(check.userRoles ?? {})) userRoles[name] = role;
  let topology: LintContext['topology'];
  if (t) {
    const dataNodes = t.nodes?.length;
    const rpm = t.replicasPerMaster ?? 1;
    topology = { kind: t.kind, ...(t.masterName ? { masterName: t.masterName } : {}) };
    if (t.kind === 'sentinel') {
      if (t.sentinels) topology.sentinels = t.sentinels.length;
      if (dataNodes) topology.replicas = dataNodes - 1;
    }
    if (t.kind === 'cluster' && dataNodes) { topology.masters = Math.floor(dataNodes / (1 + rpm)); topology.replicas = rpm; }
  }
  const hostMemory = check.hostMemory ? parseMemory(check.hostMemory) : undefined;
  const ctx = defaultContext({
    version: flags.version ?? check.version ?? c.server?.version ?? '7.0',
    profile: check.profile ?? (persistence === 'store' || persistence === 'cache' ? persistence : undefined),
    profiles: check.profiles ?? {},
    namespaces: c.namespaces ?? (fromConfig ? DEFAULT_NAMESPACES : []),
    ...(topology ? { topology } : {}),
    nodes,
    nodeAddresses: [...new Set(nodes.flatMap((n) => [n.host, ...(n.ip ? [n.ip] : [])]))],
    certExpiryDays: check.certExpiryDays ?? 30,
    allowNopassUsers: check.allowNopassUsers ?? [],
    userRoles,
    ...(hostMemory ? { hostMemoryBytes: hostMemory } : {}),
    ...(check.maxOpenFiles ? { maxOpenFiles: check.maxOpenFiles } : {}),
    tlsBuild: check.tlsBuild ?? true,
    fromConfig,
    pathMap: loaded.path ? [{ from: c.paths?.config ?? `/etc/redis/${c.name ?? 'gridtokenx'}`, to: path.dirname(loaded.path) }] : [],
    ...(flags.now ? { now: flags.now } : {}),
  });
  // check.files are relative to the config's folder (handed in by the command: the cwd without a config).
  const base = flags.configDir ?? (loaded.path ? path.dirname(loaded.path) : undefined);
  return { ctx, overrides: (check.rules ?? {}) as Record<string, RuleOverride>, files: (check.files ?? []).map((f) => (base ? path.resolve(base, f) : f)) };
}
