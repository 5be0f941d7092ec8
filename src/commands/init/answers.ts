import type { CommandContext } from '../context.js';
import type { InitOptions } from './init.js';
import { GridctlError } from '../../core/errors.js';
import { SERVER_VERSIONS } from '../../core/config/server-versions.js';
import { defaultAnswers, type InitAnswers } from '../../core/scaffold/model.js';

/** The answers init asks for, each of which is also a flag. */
export const QUESTIONS = ['profile', 'topology', 'tls', 'maxmemory', 'persistence', 'serverVersion', 'dir'] as const;
export const FLAG_OF: Record<(typeof QUESTIONS)[number], string> = {
  profile: '--profile',
  topology: '--topology',
  tls: '--tls/--no-tls',
  maxmemory: '--maxmemory',
  persistence: '--persistence',
  serverVersion: '--server-version',
  dir: '--dir',
};

/** Flags first; then --yes (defaults) or questions on a terminal; otherwise a usage error, never a hang. */
export async function collectAnswers(opts: InitOptions, ctx: CommandContext): Promise<InitAnswers & { dir: string }> {
  const missing = QUESTIONS.filter((q) => opts[q] === undefined);
  const given: Partial<InitAnswers> = {};
  if (opts.name) given.name = opts.name;
  if (opts.profile) given.profile = opts.profile;
  if (opts.topology) given.topology = opts.topology;
  if (opts.tls !== undefined) given.tls = opts.tls;
  if (opts.maxmemory) given.maxmemory = opts.maxmemory;
  if (opts.persistence) given.persistence = opts.persistence;
  if (opts.serverVersion) given.version = opts.serverVersion;
  if (!missing.length || ctx.yes) return { ...defaultAnswers(given), dir: opts.dir ?? '.' };
  if (!ctx.ui.interactive) {
    throw new GridctlError('CONFIRMATION_REQUIRED', 'gridctl init asks questions, but this is not a terminal', {
      hint: `pass --yes to take the defaults, or answer with flags: ${missing.map((q) => FLAG_OF[q]).join(' ')}`,
    });
  }
  return askAnswers(given, opts.dir, ctx);
}

/** The questions not answered by a flag, each defaulting to what the profile (and topology) implies. */
async function askAnswers(given: Partial<InitAnswers>, dir: string | undefined, ctx: CommandContext): Promise<InitAnswers & { dir: string }> {
  const { ui } = ctx;
  const profile = given.profile ?? (await ui.select('Environment profile', [
    { value: 'production', description: 'TLS, Sentinel, AOF fsync always' },
    { value: 'staging' },
    { value: 'development', description: 'standalone, no TLS by default' },
  ] as const));
  const d = defaultAnswers({ ...given, profile });
  const topology = given.topology ?? (await ui.select('Topology', [
    { value: 'standalone', description: '1 node' },
    { value: 'sentinel', description: '1 master, 2 replicas, 3 sentinels' },
    { value: 'cluster', description: '3 masters, 3 replicas' },
  ] as const, d.topology));
  const tls = given.tls ?? (await ui.confirm('TLS (mutual, TLSv1.2+TLSv1.3)?', defaultAnswers({ ...given, profile, topology }).tls));
  const maxmemory = given.maxmemory ?? (await ui.input('maxmemory per node', d.maxmemory, (v) => /^\d+(kb|mb|gb|k|m|g)?$/i.test(v) || 'a size such as 512mb or 2gb'));
  const persistence = given.persistence ?? (await ui.select('Persistence', [
    { value: 'store', description: 'order book, locks, queues: AOF fsync always + RDB, noeviction' },
    { value: 'hybrid', description: 'AOF everysec + RDB; keys with a TTL may be evicted (locks too)' },
    { value: 'cache', description: 'RDB only, allkeys-lru: anything may be evicted' },
  ] as const, d.persistence));
  const version = given.version ?? (await ui.select('Server version', SERVER_VERSIONS.map((value) => ({ value })), d.version));
  const outDir = dir ?? (await ui.input('Output directory', '.'));
  return { ...defaultAnswers({ ...given, profile, topology, tls, maxmemory, persistence, version }), dir: outDir };
}
