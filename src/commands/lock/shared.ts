import * as z from '../option-schema.js';
import type { CommandContext } from '../context.js';
import { usageError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { lockKeyFor, resolveLockSettings, type LockSettings } from '../../core/lock/settings.js';
import type { LockBackend } from '../../core/lock/backend.js';
import { SingleInstanceLock } from '../../core/lock/single-lock.js';
import { RedlockLock } from '../../core/lock/redlock.js';
import { endpointLabel, errorContext } from '../../core/redis/connect.js';
import { classifyRedisError } from '../../core/redis/errors.js';
import type { Deployment } from '../../core/redis/deployment.js';

/** What the `gridctl lock` subcommands share: their common flags, the lock key and settings, the backend. */

export const lockName = z.string().check(z.minLength(1, 'the lock NAME must not be empty'));
export const durationText = z.string().check(z.minLength(1));
export const tokenText = z.string().check(z.minLength(1));
export const redlockUrls = z.optional(z.string().check(z.minLength(1)));
export const exactKey = z.optional(z.boolean());

/** A duration flag in ms, at least `minMs` (checked before any connection). */
export function durationFlag(text: string, flag: string, minMs: number): number {
  const ms = parseDuration(text, flag);
  if (ms < minMs) throw usageError(`${flag} must be at least ${minMs} ms`);
  return ms;
}

/** gridctl.yaml `lock:` merged with the defaults; a relative audit log is relative to the config's folder. */
export async function lockSettings(ctx: CommandContext): Promise<LockSettings> {
  const loaded = await ctx.loadConfig();
  return resolveLockSettings(loaded.config.lock, { env: ctx.env, cwd: ctx.cwd, configDir: await ctx.configDir() });
}

/** NAME -> its key (`lock:NAME`, or NAME itself with --key), with the settings it was resolved with. */
export async function lockKey(ctx: CommandContext, name: string, exact: boolean | undefined): Promise<{ key: string; settings: LockSettings }> {
  const settings = await lockSettings(ctx);
  return { key: lockKeyFor(name, settings.prefix, exact), settings };
}

/** The lock backend for a key: the deployment from --url/--target/..., or a Redlock over --redlock URLs. */
export async function openBackend(ctx: CommandContext, key: string, redlock: string | undefined, ttlMs?: number): Promise<LockBackend> {
  if (!redlock) return new SingleInstanceLock(await ctx.openDeployment(), key);
  const urls = redlock.split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length < 3) throw usageError(`--redlock needs at least 3 independent masters, got ${urls.length}`, 'e.g. --redlock redis://a:6379,redis://b:6379,redis://c:6379');
  // Redlock must not wait on one slow master for longer than a small part of the TTL.
  const timeoutMs = ttlMs ? Math.max(50, Math.min(ctx.timeoutMs, Math.floor(ttlMs / 10))) : ctx.timeoutMs;
  const specs = await Promise.all(
    urls.map(async (url) => {
      const spec = await ctx.instanceSpec(url, timeoutMs);
      return { address: endpointLabel(spec.nodes[0]!), spec };
    }),
  );
  return RedlockLock.open(key, specs);
}

/** Redis errors (NOPERM, timeouts) become the documented exit codes: 4 permission, 5 unreachable. */
export async function classified<T>(dep: Deployment, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyRedisError(err, errorContext(dep.spec, dep.spec.source));
  }
}
