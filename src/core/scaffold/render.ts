import { parseDuration } from '../duration.js';
import type { Role } from '../config/schema-deployment.js';
import type { DeploymentModel, NodeModel, SentinelModel } from './model.js';
import { renderTemplateFile } from './template.js';
import { renderAclUsers, rolesFor } from './acl.js';
import { renderSecretEnv, secretEnvFile } from './secrets.js';
import { assertKnownDirectives, atLeast, serverBinaries } from './versions.js';

/**
 * model + passwords -> every text file of the scaffold (TLS material is made separately, by
 * openssl). Pure apart from reading templates: the same model and passwords always give the same
 * bytes, which is what makes `init --from` idempotent.
 */
export type FileKind = 'model' | 'config' | 'acl' | 'secret' | 'script' | 'ops' | 'docs';

export interface RenderedFile {
  /** Path relative to the output directory, with forward slashes. */
  path: string;
  content: string;
  mode: number;
  kind: FileKind;
  /** Rewritten by the server at run time (sentinel.conf): never overwritten silently. */
  stateful?: boolean;
}

const CONFIG_MODE = 0o640;
export const PUBLIC_MODE = 0o644;
const SECRET_MODE = 0o600;
const SCRIPT_MODE = 0o755;

export function redisConfPath(node: { name: string }): string {
  return `redis/${node.name}.conf`;
}
export function sentinelConfPath(s: { name: string }): string {
  return `sentinel/${s.name}.conf`;
}

/** Certificate names: every name and IP a client may dial, including loopback for on-host tools (TLS010). */
export function serverSans(model: DeploymentModel, p: { host: string; ip: string }): string[] {
  const loopback = model.bind.map((b) => b.replace(/^-/, '')).filter((b) => b === '::1' || b === '127.0.0.1');
  return [...new Set([p.host, p.ip, ...model.tls.sans, 'localhost', '127.0.0.1', ...loopback])];
}

/** The target name in gridctl.yaml that operators' commands use (targets.<profile>). */
export function targetName(model: DeploymentModel): string {
  return model.profile;
}

function hostPort(h: string, port: number): string {
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}

function unitPrefix(model: DeploymentModel): string {
  return model.name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export async function renderDeployment(model: DeploymentModel, passwords: Record<Role, string>): Promise<RenderedFile[]> {
  const files: RenderedFile[] = [];
  const add = (path: string, content: string, mode: number, kind: FileKind, stateful = false) =>
    files.push({ path, content, mode, kind, ...(stateful ? { stateful } : {}) });
  const tls = model.tls.enabled;
  const common = { name: model.name, configDir: model.paths.config };
  const tlsProtocols = model.tls.protocols.join(' ');
  const tlsAuthClients = model.tls.mutual ? 'yes' : 'optional';
  const roles = rolesFor(model);
  const replicated = model.topology !== 'standalone';

  // users.acl (data nodes)
  add('users.acl', await renderTemplateFile('users.acl.tmpl', { users: renderAclUsers(model, passwords, 'data').join('\n') }), CONFIG_MODE, 'acl');

  // redis.conf per data node
  const masterOf = (n: NodeModel) => model.nodes.find((m) => m.name === n.master)!;
  for (const n of model.nodes) {
    const store = model.persistence === 'store';
    const text = await renderTemplateFile('redis.conf.tmpl', {
      ...common,
      node: n.name,
      role: model.topology === 'cluster' ? `cluster ${n.role}` : model.topology === 'sentinel' ? `initial ${n.role}` : 'standalone',
      topology: model.topology,
      profile: model.profile,
      version: model.version,
      bind: [...new Set([n.ip, ...model.bind])].join(' '),
      tls,
      port: n.port,
      tlsAuthClients,
      tlsProtocols,
      cluster: model.topology === 'cluster',
      hideUserData: atLeast(model.version, '7.4'),
      maxmemory: model.maxmemory,
      policy: model.policy,
      store,
      hybrid: model.persistence === 'hybrid',
      cache: model.persistence === 'cache',
      dataDir: `${model.paths.data}/${n.name}`,
      save: model.persistence === 'cache' ? '3600 1 300 100' : '3600 1 300 100 60 10000',
      aof: model.persistence !== 'cache',
      appendfsync: store ? 'always' : 'everysec',
      replication: replicated,
      // Only where a master has replicas to count; a standalone node would refuse every write.
      minReplicas: replicated && store,
      replica: model.topology === 'sentinel' && n.role === 'replica',
      masterIp: n.master ? masterOf(n).ip : '',
      masterPort: n.master ? masterOf(n).port : '',
      nodeTimeoutMs: model.nodeTimeoutMs,
      busPort: n.busPort,
      ip: n.ip,
    });
    assertKnownDirectives(text, model.version, redisConfPath(n));
    add(redisConfPath(n), text, CONFIG_MODE, 'config');
  }

  // sentinel.conf per sentinel
  if (model.topology === 'sentinel') {
    const master = model.nodes[0]!;
    const users = renderAclUsers(model, passwords, 'sentinel').join('\n');
    for (const s of model.sentinels) {
      const text = await renderTemplateFile('sentinel.conf.tmpl', {
        ...common,
        node: s.name,
        profile: model.profile,
        version: model.version,
        masterName: model.masterName,
        bind: [...new Set([s.ip, ...model.bind])].join(' '),
        tls,
        port: s.port,
        tlsAuthClients,
        tlsProtocols,
        dataDir: `${model.paths.data}/${s.name}`,
        quorum: model.quorum,
        sentinelCount: model.sentinels.length,
        masterIp: master.ip,
        masterPort: master.port,
        downAfterMs: model.downAfterMs,
        failoverTimeoutMs: model.failoverTimeoutMs,
        sentinelUser: model.users.sentinel,
        users,
      });
      assertKnownDirectives(text, model.version, sentinelConfPath(s));
      add(sentinelConfPath(s), text, CONFIG_MODE, 'config', true);
    }
  }

  // secrets/
  for (const role of roles) add(secretEnvFile(role), renderSecretEnv(role, model.users[role], passwords[role]), SECRET_MODE, 'secret');
  if (replicated) {
    add('secrets/replication.conf', await renderTemplateFile('secrets-replication.conf.tmpl', { name: model.name, user: model.users.replication, password: passwords.replication }), SECRET_MODE, 'secret');
  }
  if (model.topology === 'sentinel') {
    add(
      'secrets/sentinel.conf',
      await renderTemplateFile('secrets-sentinel.conf.tmpl', { name: model.name, masterName: model.masterName, user: model.users.sentinel, password: passwords.sentinel }),
      SECRET_MODE,
      'secret',
    );
  }

  const bins = serverBinaries(model.version);
  const cliTlsArgs = tls ? `--tls --cacert ${model.paths.config}/tls/ca.crt --cert ${model.paths.config}/tls/gridctl.crt --key ${model.paths.config}/tls/gridctl.key ` : '';
  if (model.topology === 'cluster') {
    add(
      'scripts/cluster-create.sh',
      await renderTemplateFile('cluster-create.sh.tmpl', {
        ...common,
        cli: bins.cli,
        tlsArgs: cliTlsArgs.replaceAll(model.paths.config, '$CONF_DIR'),
        endpoints: model.nodes.map((n) => `  ${hostPort(n.ip, n.port)} \\`).join('\n'),
        replicasPerMaster: model.replicasPerMaster,
        nodeList: model.nodes.map((n) => hostPort(n.ip, n.port)).join(' '),
      }),
      SCRIPT_MODE,
      'script',
    );
  }

  files.push(...(await renderOps(model, bins, cliTlsArgs)));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

async function renderOps(model: DeploymentModel, bins: ReturnType<typeof serverBinaries>, cliTlsArgs: string): Promise<RenderedFile[]> {
  const out: RenderedFile[] = [];
  const common = { name: model.name, configDir: model.paths.config };
  const prefix = unitPrefix(model);
  const target = targetName(model);
  const tls = model.tls.enabled;

  // docker-compose.yml: one service per process; the first process on an IP owns the address.
  const owners = new Map<string, string>();
  const services: string[] = [];
  const processes: Array<{ name: string; ip: string; file: string; binary: string }> = [
    ...model.nodes.map((n) => ({ name: n.name, ip: n.ip, file: redisConfPath(n), binary: bins.server })),
    ...model.sentinels.map((s) => ({ name: s.name, ip: s.ip, file: sentinelConfPath(s), binary: bins.sentinel })),
  ];
  for (const p of processes) {
    const owner = owners.get(p.ip);
    if (!owner) owners.set(p.ip, p.name);
    services.push(
      await renderTemplateFile('docker-compose.service.tmpl', {
        service: p.name,
        image: model.image,
        binary: p.binary,
        configDir: model.paths.config,
        configFile: p.file,
        dataDir: `${model.paths.data}/${p.name}`,
        ownAddress: !owner,
        ip: p.ip,
        shareWith: owner ?? '',
      }),
    );
  }
  const firstV4 = processes.map((p) => p.ip).find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)) ?? '10.0.0.1';
  out.push({
    path: 'docker-compose.yml',
    content: await renderTemplateFile('docker-compose.yml.tmpl', {
      name: model.name,
      topology: model.topology,
      dataDirs: processes.map((p) => `data/${p.name}`).join(' '),
      services: services.join('').replace(/\n$/, ''),
      subnet: firstV4.replace(/\.\d+$/, '.0/24'),
    }),
    mode: PUBLIC_MODE,
    kind: 'ops',
  });

  out.push({
    path: `systemd/${prefix}-redis@.service`,
    content: await renderTemplateFile('systemd-redis.service.tmpl', {
      ...common,
      unit: `${prefix}-redis`,
      nodeList: model.nodes.map((n) => n.name).join(', '),
      serverPath: `/usr/bin/${bins.server}`,
      dataDir: model.paths.data,
    }),
    mode: PUBLIC_MODE,
    kind: 'ops',
  });
  if (model.topology === 'sentinel') {
    out.push({
      path: `systemd/${prefix}-sentinel@.service`,
      content: await renderTemplateFile('systemd-sentinel.service.tmpl', {
        ...common,
        unit: `${prefix}-sentinel`,
        sentinelList: model.sentinels.map((s) => s.name).join(', '),
        sentinelPath: `/usr/bin/${bins.sentinel}`,
        dataDir: model.paths.data,
      }),
      mode: PUBLIC_MODE,
      kind: 'ops',
    });
  }
  const backupVars = { ...common, unit: `${prefix}-backup`, target, backupUser: model.users.backup, backupDir: model.backup.dir, backupKeep: model.backup.keep };
  out.push({ path: `systemd/${prefix}-backup.service`, content: await renderTemplateFile('systemd-backup.service.tmpl', backupVars), mode: PUBLIC_MODE, kind: 'ops' });
  out.push({
    path: `systemd/${prefix}-backup.timer`,
    content: await renderTemplateFile('systemd-backup.timer.tmpl', { name: model.name, unit: `${prefix}-backup`, schedule: model.backup.schedule }),
    mode: PUBLIC_MODE,
    kind: 'ops',
  });
  out.push({ path: `cron/${prefix}-backup`, content: await renderTemplateFile('backup.cron.tmpl', { ...backupVars, cron: model.backup.cron }), mode: PUBLIC_MODE, kind: 'ops' });

  const slo = model.slo;
  out.push({
    path: 'monitoring/prometheus-alerts.yml',
    content: await renderTemplateFile('prometheus-alerts.yml.tmpl', {
      name: model.name,
      target,
      monitorUser: model.users.monitor,
      memoryPercent: slo.memoryPercent,
      latencyMs: slo.latencyMs,
      hitRatePercent: slo.hitRatePercent,
      replicationLagSeconds: slo.replicationLagSeconds,
      lastSaveMaxAgeHours: slo.lastSaveMaxAgeHours,
      lastSaveMaxAgeSeconds: Math.round(slo.lastSaveMaxAgeHours * 3600),
      backupMaxAge: slo.backupMaxAge,
      backupMaxAgeSeconds: Math.round(parseDuration(slo.backupMaxAge, 'slo.backupMaxAge') / 1000),
      backupDir: model.backup.dir,
      evictionSeverity: model.policy === 'noeviction' ? 'critical' : 'info',
      policy: model.policy,
      replicated: model.topology !== 'standalone',
      cluster: model.topology === 'cluster',
      sentinel: model.topology === 'sentinel',
      masterName: model.masterName,
      quorum: model.quorum,
    }),
    mode: PUBLIC_MODE,
    kind: 'ops',
  });
  out.push({
    path: 'monitoring/grafana-dashboard.json',
    content: await renderTemplateFile('grafana-dashboard.json.tmpl', {
      name: model.name,
      uid: prefix.slice(0, 30),
      memoryPercent: slo.memoryPercent,
      latencyMs: slo.latencyMs,
      hitRatePercent: slo.hitRatePercent,
    }),
    mode: PUBLIC_MODE,
    kind: 'ops',
  });

  const first = model.nodes[0]!;
  out.push({
    path: '.env.example',
    content: await renderTemplateFile('env.example.tmpl', {
      name: model.name,
      topology: model.topology,
      configDir: model.paths.config,
      appUrl: `${tls ? 'rediss' : 'redis'}://${model.users.app}@${hostPort(first.host, first.port)}`,
      appUser: model.users.app,
      sentinel: model.topology === 'sentinel',
      sentinelList: model.sentinels.map((s) => hostPort(s.host, s.port)).join(','),
      masterName: model.masterName,
      cluster: model.topology === 'cluster',
      nodeList: model.nodes.map((n) => hostPort(n.host, n.port)).join(','),
      tls,
    }),
    mode: PUBLIC_MODE,
    kind: 'ops',
  });

  out.push({ path: '.gitignore', content: await renderTemplateFile('gitignore.tmpl', {}), mode: PUBLIC_MODE, kind: 'ops' });
  out.push({ path: 'RUNBOOK.md', content: await renderRunbook(model, prefix, target, cliTlsArgs), mode: PUBLIC_MODE, kind: 'docs' });
  return out;
}

async function renderRunbook(model: DeploymentModel, prefix: string, target: string, cliTlsArgs: string): Promise<string> {
  const row = (p: NodeModel | SentinelModel, role: string) => `| ${p.name} | ${hostPort(p.host, p.port)}${p.host !== p.ip ? ` (${p.ip})` : ''} | ${role} |`;
  const rows = [
    ...model.nodes.map((n) => row(n, n.master ? `${n.role} of ${n.master}` : model.topology === 'standalone' ? 'standalone' : n.role)),
    ...model.sentinels.map((s) => row(s, 'sentinel')),
  ];
  const starts = [
    ...model.nodes.map((n) => `systemctl enable --now ${prefix}-redis@${n.name}      # on ${n.host}`),
    ...model.sentinels.map((s) => `systemctl enable --now ${prefix}-sentinel@${s.name}   # on ${s.host}`),
    `systemctl enable --now ${prefix}-backup.timer           # on one host`,
  ];
  return renderTemplateFile('RUNBOOK.md.tmpl', {
    name: model.name,
    topology: model.topology,
    profile: model.profile,
    version: model.version,
    persistence: model.persistence,
    maxmemory: model.maxmemory,
    policy: model.policy,
    tlsState: model.tls.enabled ? `on${model.tls.mutual ? ', mutual' : ''} (${model.tls.protocols.join(', ')})` : 'off',
    processTable: rows.join('\n'),
    configDir: model.paths.config,
    dataDir: model.paths.data,
    sentinel: model.topology === 'sentinel',
    cluster: model.topology === 'cluster',
    standalone: model.topology === 'standalone',
    tls: model.tls.enabled,
    adminUser: model.users.admin,
    appUser: model.users.app,
    monitorUser: model.users.monitor,
    backupUser: model.users.backup,
    restoreUser: model.users.restore,
    startCommands: starts.join('\n'),
    unitPrefix: prefix,
    target,
    checkFiles: `users.acl redis/*.conf${model.topology === 'sentinel' ? ' sentinel/*.conf' : ''}`,
    backupSchedule: model.backup.schedule,
    backupDir: model.backup.dir,
    backupKeep: model.backup.keep,
    downAfterMs: model.downAfterMs,
    quorum: model.quorum,
    sentinelCount: model.sentinels.length,
    cliTlsArgs,
    masterName: model.masterName,
    nodeTimeoutMs: model.nodeTimeoutMs,
    firstNode: model.nodes[0]!.name,
  });
}
