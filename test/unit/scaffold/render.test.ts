import { describe, expect, it } from 'vitest';
import { renderDeployment } from '../../../src/core/scaffold/render.js';
import { buildInitialConfig, defaultAnswers, resolveModel } from '../../../src/core/scaffold/model.js';
import { overlayConfig, OVERLAY_MARKER } from '../../../src/core/local/from-scaffold.js';
import { supportsDirective } from '../../../src/core/scaffold/versions.js';
import type { Role } from '../../../src/core/config/schema-deployment.js';
import { SERVER_VERSIONS } from '../../../src/core/config/server-versions.js';

const passwords = Object.fromEntries(['admin', 'app', 'monitor', 'backup', 'restore', 'replication', 'sentinel'].map((r) => [r, `${r}`.padEnd(64, '0')])) as Record<Role, string>;
const render = (topology: 'standalone' | 'sentinel' | 'cluster', extra: Parameters<typeof defaultAnswers>[0] = {}) =>
  renderDeployment(resolveModel(buildInitialConfig(defaultAnswers({ topology, ...extra }))), passwords);
const file = (files: Awaited<ReturnType<typeof render>>, p: string) => files.find((f) => f.path === p)?.content ?? '';

describe('renderDeployment', () => {
  it.each(['standalone', 'sentinel', 'cluster'] as const)('%s: every file rendered, no {{ left, byte-identical twice', async (t) => {
    const a = await render(t);
    const b = await render(t);
    expect(a).toEqual(b);
    for (const f of a) expect(f.content, f.path).not.toContain('{{');
    const paths = a.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['users.acl', 'redis/redis-1.conf', 'docker-compose.yml', '.env.example', 'RUNBOOK.md', 'monitoring/prometheus-alerts.yml', 'monitoring/grafana-dashboard.json', '.gitignore', 'secrets/app.env', 'cron/gridtokenx-backup', 'systemd/gridtokenx-redis@.service', 'systemd/gridtokenx-backup.timer']));
    expect(() => JSON.parse(file(a, 'monitoring/grafana-dashboard.json'))).not.toThrow();
    for (const f of a.filter((x) => x.kind === 'secret')) expect(f.mode).toBe(0o600);
  });

  it('prometheus alerts: a backup older than slo.backupMaxAge (default 26 h) and a failed restore drill alert', async () => {
    const alerts = file(await render('standalone'), 'monitoring/prometheus-alerts.yml');
    expect(alerts).toContain('- alert: RedisBackupTooOld\n        expr: time() - gridctl_backup_last_success_timestamp_seconds{deployment="gridtokenx"} > 93600\n');
    expect(alerts).toContain('summary: No successful backup for 26h (slo.backupMaxAge)');
    expect(alerts).toContain('- alert: RedisRestoreDrillFailing\n        expr: gridctl_drill_restore_success{deployment="gridtokenx"} == 0\n');
    const custom = resolveModel({ ...buildInitialConfig(defaultAnswers({ topology: 'standalone' })), slo: { backupMaxAge: '2d' } });
    expect(file(await renderDeployment(custom, passwords), 'monitoring/prometheus-alerts.yml')).toContain('gridctl_backup_last_success_timestamp_seconds{deployment="gridtokenx"} > 172800\n');
  });

  it('redis.conf: hardened lines, quoting and TLS-only', async () => {
    const conf = file(await render('sentinel'), 'redis/redis-2.conf');
    for (const line of ['bind 10.0.0.12 127.0.0.1', 'protected-mode yes', 'port 0', 'tls-port 6379', 'tls-auth-clients yes', 'tls-replication yes', 'tls-protocols "TLSv1.2 TLSv1.3"', 'aclfile /etc/redis/gridtokenx/users.acl', 'enable-debug-command no', 'maxmemory 1gb', 'maxmemory-policy noeviction', 'appendonly yes', 'appendfsync always', 'save "3600 1 300 100 60 10000"', 'rdbchecksum yes', 'replicaof 10.0.0.11 6379', 'min-replicas-to-write 1', 'supervised systemd', 'logfile ""']) {
      expect(conf.split('\n'), line).toContain(line);
    }
    // No inline comments and no plaintext secret in the config itself.
    for (const l of conf.split('\n')) if (!l.startsWith('#')) expect(l).not.toMatch(/\s#/);
    expect(conf).not.toContain(passwords.replication);
    expect(conf).toContain('include /etc/redis/gridtokenx/secrets/replication.conf');
  });

  it('TLS off: a plaintext port and no tls-* lines', async () => {
    const conf = file(await render('standalone', { tls: false }), 'redis/redis-1.conf');
    expect(conf.split('\n')).toContain('port 6379');
    expect(conf).not.toMatch(/^tls-/m);
  });

  it.each(SERVER_VERSIONS)('version gating for %s: only directives the target knows', async (version) => {
    const files = await render('cluster', { version });
    for (const f of files.filter((x) => x.path.endsWith('.conf') && !x.path.startsWith('secrets/'))) {
      for (const l of f.content.split('\n').filter((x) => x && !x.startsWith('#'))) expect(supportsDirective(version, l.split(' ')[0]!), `${f.path}: ${l}`).toBe(true);
    }
    expect(file(files, 'redis/redis-1.conf').includes('hide-user-data-from-log yes')).toBe(version === '7.4' || version === '8.0' || version === 'valkey-8');
    expect(file(files, 'docker-compose.yml')).not.toMatch(/:latest|image: redis\s*$/m);
  });

  it('sentinel.conf: majority quorum, ACL users, deny-scripts-reconfig, TLS, secrets included', async () => {
    const conf = file(await render('sentinel'), 'sentinel/sentinel-1.conf');
    expect(conf).toContain('sentinel monitor gridtokenx 10.0.0.11 6379 2');
    expect(conf).toContain('sentinel deny-scripts-reconfig yes');
    expect(conf).toContain('user default off');
    expect(conf).toMatch(/^user app on #[0-9a-f]{64} .*\+sentinel\|get-master-addr-by-name/m);
    expect(conf).toContain('tls-replication yes');
    expect(conf).toContain('include /etc/redis/gridtokenx/secrets/sentinel.conf');
    const secrets = file(await render('sentinel'), 'secrets/sentinel.conf');
    expect(secrets).toContain(`sentinel auth-user gridtokenx sentinel`);
    expect(secrets).toContain(`sentinel auth-pass gridtokenx ${passwords.sentinel}`);
    expect(secrets).toContain(`sentinel sentinel-user sentinel`);
  });

  it('cluster: distinct cluster-config-file, tls-cluster, announce, create script', async () => {
    const files = await render('cluster');
    const confs = files.filter((f) => f.path.startsWith('redis/'));
    expect(new Set(confs.map((f) => /cluster-config-file (\S+)/.exec(f.content)![1])).size).toBe(6);
    for (const f of confs) expect(f.content).toMatch(/^tls-cluster yes$/m);
    expect(file(files, 'redis/redis-4.conf')).toContain('cluster-announce-ip 10.0.0.14');
    const script = files.find((f) => f.path === 'scripts/cluster-create.sh')!;
    expect(script.mode).toBe(0o755);
    expect(script.content).toContain('--cluster-replicas 1');
    expect(script.content).toContain('REDISCLI_AUTH');
  });

  it('ops files: systemd Type=notify, backup calling gridctl backup, rediss:// app URL', async () => {
    const files = await render('standalone');
    expect(file(files, 'systemd/gridtokenx-redis@.service')).toMatch(/^Type=notify$/m);
    expect(file(files, 'systemd/gridtokenx-redis@.service')).toContain('--supervised systemd');
    expect(file(files, 'systemd/gridtokenx-backup.service')).toContain('gridctl backup ');
    expect(file(files, 'cron/gridtokenx-backup')).toContain('gridctl backup ');
    expect(file(files, '.env.example')).toMatch(/^REDIS_URL=rediss:\/\/app@10\.0\.0\.11:6379$/m);
    expect(file(files, '.env.example')).toMatch(/^REDIS_PASSWORD=$/m);
    expect(file(files, '.gitignore')).toMatch(/^secrets\/$/m);
  });
});

describe('overlayConfig (gridctl up --from)', () => {
  it('keeps the rendered lines, localises paths and peers, appends the overlay', async () => {
    const model = resolveModel(buildInitialConfig(defaultAnswers({ topology: 'sentinel' })));
    const rendered = file(await render('sentinel'), 'redis/redis-2.conf');
    const out = overlayConfig(rendered, model, { confRoot: '/run/c', dataRoot: '/run/d', portOf: new Map([['10.0.0.11:6379', 41000]]), port: 41001, pidFile: '/run/d/redis-2/redis.pid', logFile: '/run/d/redis-2/redis.log', sentinel: false });
    expect(out).toContain('replicaof 127.0.0.1 41000');
    expect(out).toContain('aclfile /run/c/users.acl');
    expect(out).toContain('dir /run/d/redis-2');
    const [body, overlay] = out.split(OVERLAY_MARKER);
    expect(body!.split('\n').length).toBe(rendered.split('\n').length);
    expect(overlay!.trim().split('\n')).toEqual(['bind 127.0.0.1', 'tls-port 41001', 'daemonize yes', 'supervised no', 'pidfile /run/d/redis-2/redis.pid', 'logfile /run/d/redis-2/redis.log']);
  });
});
