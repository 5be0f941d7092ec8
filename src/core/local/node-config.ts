import { createHash } from 'node:crypto';

/** What a local node's config needs to know; rendered by renderDataNodeConf / renderSentinelConf. */
export interface LocalNodeSettings {
  port: number;
  dir: string;
  pidFile: string;
  logFile: string;
  tls?: { cert: string; key: string; ca: string };
  acl?: { username: string; password: string };
  replicaOf?: { host: string; port: number };
  cluster?: { busPort: number };
  extraConfig?: string[];
}

/** Values in redis.conf are tokenised like sdssplitargs: quote anything with spaces or quotes. */
function quote(value: string): string {
  return /^[A-Za-z0-9_./:@,+-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function listenLines(s: LocalNodeSettings, isSentinel: boolean): string[] {
  const lines = ['bind 127.0.0.1', 'protected-mode yes'];
  if (s.tls) {
    lines.push(
      'port 0',
      `tls-port ${s.port}`,
      `tls-cert-file ${quote(s.tls.cert)}`,
      `tls-key-file ${quote(s.tls.key)}`,
      `tls-ca-cert-file ${quote(s.tls.ca)}`,
      'tls-auth-clients yes',
      'tls-replication yes',
      'tls-protocols "TLSv1.2 TLSv1.3"',
    );
    if (!isSentinel && s.cluster) lines.push('tls-cluster yes');
  } else {
    lines.push(`port ${s.port}`);
  }
  return lines;
}

function aclLines(acl: LocalNodeSettings['acl']): string[] {
  if (!acl) return [];
  const hash = createHash('sha256').update(acl.password).digest('hex');
  // `user default off` in the file resets the user, which also clears nopass (see AUTH007).
  return ['user default off', `user ${acl.username} on #${hash} ~* &* +@all`];
}

export function renderDataNodeConf(s: LocalNodeSettings): string {
  const lines = [
    '# Written by `gridctl up` for a local, throwaway deployment. Not a production config:',
    '# use `gridctl init` for that.',
    ...listenLines(s, false),
    'daemonize yes',
    `pidfile ${quote(s.pidFile)}`,
    `logfile ${quote(s.logFile)}`,
    `dir ${quote(s.dir)}`,
    'save ""',
    'appendonly no',
    // DEBUG DIGEST and friends let the test suite compare datasets exactly; local only.
    'enable-debug-command local',
    ...aclLines(s.acl),
  ];
  if (s.acl) lines.push(`masteruser ${s.acl.username}`, `masterauth ${quote(s.acl.password)}`);
  if (s.replicaOf) lines.push(`replicaof ${s.replicaOf.host} ${s.replicaOf.port}`);
  if (s.cluster) {
    lines.push('cluster-enabled yes', 'cluster-config-file nodes.conf', `cluster-port ${s.cluster.busPort}`, 'cluster-node-timeout 3000', 'cluster-announce-ip 127.0.0.1');
  }
  lines.push(...(s.extraConfig ?? []));
  return lines.join('\n') + '\n';
}

export function renderSentinelConf(
  s: LocalNodeSettings & { masterName: string; master: { host: string; port: number }; quorum: number; downAfterMs: number },
): string {
  const m = s.masterName;
  const lines = [
    '# Written by `gridctl up`. Sentinel rewrites this file at run time (that is why it is writable).',
    ...listenLines(s, true),
    'daemonize yes',
    `pidfile ${quote(s.pidFile)}`,
    `logfile ${quote(s.logFile)}`,
    `dir ${quote(s.dir)}`,
    `sentinel monitor ${m} ${s.master.host} ${s.master.port} ${s.quorum}`,
    `sentinel down-after-milliseconds ${m} ${s.downAfterMs}`,
    `sentinel failover-timeout ${m} ${Math.max(10_000, s.downAfterMs * 5)}`,
    `sentinel parallel-syncs ${m} 1`,
    'sentinel deny-scripts-reconfig yes',
    ...aclLines(s.acl),
  ];
  if (s.acl) {
    lines.push(
      `sentinel auth-user ${m} ${s.acl.username}`,
      `sentinel auth-pass ${m} ${quote(s.acl.password)}`,
      `sentinel sentinel-user ${s.acl.username}`,
      `sentinel sentinel-pass ${quote(s.acl.password)}`,
    );
  }
  lines.push(...(s.extraConfig ?? []));
  return lines.join('\n') + '\n';
}
