import { GridctlError } from '../errors.js';
import { SERVER_VERSIONS, type ServerVersion } from '../config/server-versions.js';

/**
 * Version gating (hardening rules VER001, NET007, CLU010, OPS006, OPS009): an unknown directive is
 * fatal at startup, so a directive is rendered only for targets whose config table has it.
 * `since` lists the directives that appeared after 7.0; `valkeyOnly` those that Redis never had.
 */
const rank = (version: ServerVersion) => SERVER_VERSIONS.indexOf(version);

const SINCE: Record<string, ServerVersion> = {
  'locale-collate': '7.2',
  'cluster-announce-human-nodename': '7.2',
  'set-max-listpack-entries': '7.2',
  'set-max-listpack-value': '7.2',
  'hide-user-data-from-log': '7.4',
  'max-new-connections-per-cycle': '7.4',
  'max-new-tls-connections-per-cycle': '7.4',
  'server-cpulist': '7.4',
  'bio-cpulist': '7.4',
  'aof-rewrite-cpulist': '7.4',
  'bgsave-cpulist': '7.4',
};

const VALKEY_ONLY = new Set([
  'unixsocketgroup',
  'availability-zone',
  'cluster-announce-client-ipv4',
  'cluster-announce-client-ipv6',
  'cluster-slot-stats-enabled',
  'dual-channel-replication-enabled',
  'extended-redis-compatibility',
  'events-per-io-thread',
  'prefetch-batch-max-size',
  'primaryauth',
  'primaryuser',
]);

/** Does the target know this directive? (Directives not listed exist in every supported target.) */
export function supportsDirective(version: ServerVersion, directive: string): boolean {
  const d = directive.toLowerCase();
  if (VALKEY_ONLY.has(d)) return version === 'valkey-8';
  const since = SINCE[d];
  return since === undefined || rank(version) >= rank(since);
}

export function atLeast(version: ServerVersion, min: ServerVersion): boolean {
  return rank(version) >= rank(min);
}

/**
 * The last line of defence after rendering: every directive line of a redis.conf / sentinel.conf
 * must be known to the target (and `loglevel nothing` is 7.2+). Throws naming file and line.
 */
export function assertKnownDirectives(text: string, version: ServerVersion, file: string): void {
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [directive = '', arg] = line.split(/\s+/);
    const bad = !supportsDirective(version, directive) || (directive.toLowerCase() === 'loglevel' && arg === 'nothing' && !atLeast(version, '7.2'));
    if (bad) {
      throw new GridctlError('OPERATION_FAILED', `${file}:${i + 1}: "${directive}" is not known to server version ${version}`, {
        hint: 'this is a bug in a template: gate the directive on the server version',
      });
    }
  });
}

/** The binaries of the target (valkey-8 ships valkey-server / valkey-sentinel). */
export function serverBinaries(version: ServerVersion): { server: string; sentinel: string; cli: string } {
  return version === 'valkey-8'
    ? { server: 'valkey-server', sentinel: 'valkey-sentinel', cli: 'valkey-cli' }
    : { server: 'redis-server', sentinel: 'redis-sentinel', cli: 'redis-cli' };
}

/** Pinned container images: a tag that names the exact release, never `latest`. */
export function defaultImage(version: ServerVersion): string {
  switch (version) {
    case '7.0':
      return 'redis:7.0.15-bookworm';
    case '7.2':
      return 'redis:7.2.6-bookworm';
    case '7.4':
      return 'redis:7.4.1-bookworm';
    case '8.0':
      return 'redis:8.0.3-bookworm';
    case 'valkey-8':
      return 'valkey/valkey:8.0.1-bookworm';
  }
}
