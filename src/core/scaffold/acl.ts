import { createHash } from 'node:crypto';
import type { Role } from '../config/schema-deployment.js';
import type { DeploymentModel } from './model.js';

/**
 * ACL users by role. Passwords appear only as `#<sha256>` (lowercase hex, AUTH011); each rule list
 * starts from nothing (`resetkeys resetchannels -@all`) and adds what the role needs, with
 * `-@dangerous` last where it applies (AUTH016).
 */
export function passwordHash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

/** Roles that exist in this topology (no replication user without replicas, no sentinel user without Sentinel). */
export function rolesFor(model: DeploymentModel): Role[] {
  const roles: Role[] = ['admin', 'app', 'monitor', 'backup', 'restore'];
  if (model.topology !== 'standalone') roles.push('replication');
  if (model.topology === 'sentinel') roles.push('sentinel');
  return roles;
}

const CLUSTER_CLIENT = ['+cluster|slots', '+cluster|shards', '+cluster|nodes', '+cluster|info', '+cluster|myid', '+readonly', '+readwrite', '+asking'];

/** The rules (after `user <name> on #<hash>`) of each role on the data nodes. */
function dataNodeRules(model: DeploymentModel, role: Role): string[] {
  const cluster = model.topology === 'cluster' ? CLUSTER_CLIENT : [];
  switch (role) {
    case 'admin':
      // Operators and gridctl's own admin actions; the only user with everything.
      return ['~*', '&*', '+@all'];
    case 'app':
      return [
        'resetkeys',
        ...model.appKeys.map((k) => `~${k}`),
        'resetchannels',
        ...model.appChannels.map((c) => `&${c}`),
        '-@all',
        '+@read',
        '+@write',
        '+@transaction',
        '+@connection',
        '+@scripting',
        '+@pubsub',
        ...cluster,
        // Scripting may run and load scripts, not wipe them for every other client.
        '-script|flush',
        '-function|flush',
        '-function|delete',
        '-function|restore',
        // Last, so nothing after it re-grants FLUSHALL, KEYS, CONFIG, DEBUG, SORT, MIGRATE, RESTORE … (AUTH015).
        '-@dangerous',
      ];
    case 'monitor':
      // No key access at all (AUTH019): health's per-stream checks report SKIP for this user.
      return [
        'resetkeys',
        'resetchannels',
        '-@all',
        '+ping',
        '+info',
        '+role',
        '+dbsize',
        '+client|list',
        '+slowlog|get',
        '+slowlog|len',
        '+latency|latest',
        '+latency|history',
        '+latency|doctor',
        '+memory|stats',
        '+memory|doctor',
        '+pubsub|numsub',
        '+acl|log',
        ...(model.topology === 'cluster' ? ['+cluster|info', '+cluster|nodes', '+cluster|slots', '+cluster|shards', '+cluster|myid'] : []),
      ];
    case 'backup':
      // What `gridctl backup` (logical mode) runs, pipelined: SCAN, DUMP and PEXPIRETIME (PTTL before
      // Redis 7) are @keyspace @read, not @dangerous (AUTH020); no scripts, so no +eval. INFO tells
      // it roles and versions. SCAN returns every key name: key patterns do not filter it.
      return ['resetchannels', 'resetkeys', '%R~*', '-@all', '+ping', '+info', '+dbsize', '+scan', '+dump', '+pttl', '+pexpiretime', '+select', '+client|setname', '+cluster|nodes', '+cluster|slots', '+cluster|shards', '+readonly'];
    case 'restore':
      // What `gridctl restore` runs, writing only into the gateway's namespaces; payloads are
      // sanitized (sanitize-dump-payload clients, AUTH027).
      return ['resetchannels', 'resetkeys', ...model.appKeys.map((k) => `~${k}`), '-@all', '+ping', '+info', '+dbsize', '+restore', '+exists', '+type', '+dump', '+pttl', '+del', '+unlink', '+pexpire', '+pexpireat', '+select', '+scan', '+eval', '+evalsha', '+client|setname', '+cluster|nodes', '+cluster|slots', '+cluster|shards'];
    case 'replication':
      // The documented minimum for a replica on its master (AUTH021).
      return ['resetkeys', 'resetchannels', '-@all', '+psync', '+replconf', '+ping'];
    case 'sentinel':
      // The documented list for Sentinel on data nodes, with channel access for __sentinel__:hello (AUTH022).
      return ['resetkeys', 'allchannels', '-@all', '+multi', '+slaveof', '+ping', '+exec', '+subscribe', '+config|rewrite', '+role', '+publish', '+info', '+client|setname', '+client|kill', '+script|kill'];
  }
}

/** Users of the sentinels themselves (inline in sentinel.conf; the ACL there is the sentinel's own). */
function sentinelRules(model: DeploymentModel, role: Role): string[] | undefined {
  switch (role) {
    case 'admin':
      return ['~*', '&*', '+@all'];
    case 'sentinel':
      // Peers: PING, hello messages and the is-master-down votes of a failover.
      return ['resetkeys', 'allchannels', '-@all', '+ping', '+publish', '+subscribe', '+info', '+role', '+client|setname', '+client|getname', '+sentinel|is-master-down-by-addr', '+sentinel|get-master-addr-by-name', '+hello'];
    case 'app':
      // What a client library needs to discover the master (SEN014).
      return ['resetkeys', 'resetchannels', '-@all', '+client|getname', '+client|id', '+client|setname', '+command', '+hello', '+ping', '+role', '+sentinel|get-master-addr-by-name', '+sentinel|master', '+sentinel|myid', '+sentinel|replicas', '+sentinel|sentinels'];
    case 'monitor':
      return ['resetkeys', 'resetchannels', '-@all', '+ping', '+info', '+role', '+hello', '+sentinel|masters', '+sentinel|master', '+sentinel|replicas', '+sentinel|sentinels', '+sentinel|ckquorum', '+sentinel|myid', '+sentinel|get-master-addr-by-name'];
    default:
      return undefined;
  }
}

/**
 * users.acl text. ACL-file syntax: one user per line, single spaces, no comments, no quotes
 * (Gotcha 2), `user default off` first (AUTH004, AUTH007).
 */
export function renderAclUsers(model: DeploymentModel, passwords: Partial<Record<Role, string>>, where: 'data' | 'sentinel'): string[] {
  const lines = ['user default off resetpass resetkeys resetchannels -@all'];
  for (const role of rolesFor(model)) {
    const rules = where === 'data' ? dataNodeRules(model, role) : sentinelRules(model, role);
    if (!rules) continue;
    const pw = passwords[role];
    if (!pw) throw new Error(`no password for role ${role}`);
    lines.push(['user', model.users[role], 'on', `#${passwordHash(pw)}`, ...rules].join(' '));
  }
  for (const l of lines) {
    if (/["'#]/.test(l.replace(/ #[0-9a-f]{64}/, '')) || /\s{2,}/.test(l)) throw new Error(`ACL line would not load: ${l}`);
  }
  return lines;
}
