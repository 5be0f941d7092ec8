import { REDIS_70_COMMAND_CATEGORIES } from './command-categories.js';
import type { TargetVersion } from './directives.js';
import { hasRedis74Additions } from '../../config/server-versions.js';

/** ACL categories of Redis 7.0.15 (ACL CAT on the Debian binary). */
export const REDIS_70_CATEGORIES: readonly string[] = [
  'admin', 'bitmap', 'blocking', 'connection', 'dangerous', 'fast', 'geo', 'hash', 'hyperloglog', 'keyspace', 'list',
  'pubsub', 'read', 'scripting', 'set', 'slow', 'sortedset', 'stream', 'string', 'transaction', 'write',
];

const ADDED_72 = ['client|setinfo', 'client|no-touch', 'waitaof', 'cluster|myshardid'];
const ADDED_74 = ['hexpire', 'hpexpire', 'hexpireat', 'hpexpireat', 'httl', 'hpttl', 'hexpiretime', 'hpexpiretime', 'hpersist'];
const ADDED_VALKEY_8 = ['client|capa', 'client|import-source', 'cluster|slot-stats'];
/** Valkey 8's Sentinel spells "master" as "primary" too (src/commands/sentinel-*.json). */
const ADDED_VALKEY_8_SENTINEL = ['get-primary-addr-by-name', 'is-primary-down-by-addr', 'primaries', 'primary'].map((s) => `sentinel|${s}`);

/** Which release first has a command that a target lacks (for "added in" hints). */
export const COMMAND_INTRODUCED_IN: Record<string, string> = {
  ...Object.fromEntries(ADDED_72.map((c) => [c, 'Redis 7.2'])),
  ...Object.fromEntries(ADDED_74.map((c) => [c, 'Redis 7.4'])),
  ...Object.fromEntries([...ADDED_VALKEY_8, ...ADDED_VALKEY_8_SENTINEL].map((c) => [c, 'Valkey 8.0'])),
};

let table: Map<string, string[]> | undefined;

/** command (or container|sub) -> its ACL categories, for Redis 7.0. */
export function commandCategories(): Map<string, string[]> {
  if (table) return table;
  table = new Map();
  for (const row of REDIS_70_COMMAND_CATEGORIES.trim().split('\n')) {
    const [name, cats] = row.split(' ');
    table.set(name!, (cats ?? '').split(',').filter(Boolean));
  }
  return table;
}

/** Commands only Sentinel has (its own command table), for ACL rules in sentinel.conf. */
const SENTINEL_ONLY = ['sentinel', ...['ckquorum', 'config', 'debug', 'failover', 'flushconfig', 'get-master-addr-by-name', 'help', 'info-cache', 'is-master-down-by-addr', 'master', 'masters', 'monitor', 'myid', 'pending-scripts', 'remove', 'replicas', 'reset', 'sentinels', 'set', 'simulate-failure', 'slaves'].map((s) => `sentinel|${s}`)];

/** Every command name a target knows (lower case, subcommands as container|sub); Sentinel adds its own. */
export function knownCommands(version: TargetVersion, sentinel = false): Set<string> {
  const names = [...commandCategories().keys()];
  if (version !== '7.0') names.push(...ADDED_72);
  if (hasRedis74Additions(version)) names.push(...ADDED_74);
  if (version === 'valkey-8') names.push(...ADDED_VALKEY_8);
  if (sentinel) names.push(...SENTINEL_ONLY, ...(version === 'valkey-8' ? ADDED_VALKEY_8_SENTINEL : []));
  return new Set(names);
}
