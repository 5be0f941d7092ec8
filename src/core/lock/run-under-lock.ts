import type { Coverage } from '../redis/coverage.js';
import os from 'node:os';
import { GridctlError } from '../errors.js';
import { acquireWithWait } from './acquire.js';
import type { LockBackend } from './backend.js';
import { startSupervised, type CommandExit, type SupervisedCommand } from './supervised-command.js';

export interface RunUnderLockOptions {
  backend: LockBackend;
  ttlMs: number;
  waitMs: number;
  command: string[];
  /** The command's environment (gridctl's own), to which GRIDCTL_LOCK_KEY and GRIDCTL_LOCK_TOKEN are added. */
  env: Readonly<Record<string, string | undefined>>;
  /** Route the process' signals to `forward` while the command runs; returns the function that gives them back. Without it (a test) signals are left alone. */
  borrowSignals?: (forward: (signal: NodeJS.Signals) => void) => () => void;
  /** Progress and warnings for stderr (the command owns stdout). */
  onEvent?: (message: string, level: 'info' | 'warn') => void;
  /** How long a stopped command gets between SIGTERM and SIGKILL when the lock is lost. */
  killGraceMs?: number;
}

export interface RunUnderLockResult {
  key: string;
  mode: 'single' | 'redlock';
  /** Full token (the command also gets it as GRIDCTL_LOCK_TOKEN). */
  token: string;
  command: string[];
  /** The command's exit code; 128 + signal number when it was killed by a signal (shell convention). */
  exitCode: number;
  signal?: string;
  extensions: number;
  lockLost: boolean;
  lostReason?: string;
  released: boolean;
  durationMs: number;
  coverage: Coverage;
}

/**
 * cron-safe mutual exclusion: take the lock (or fail with LOCKED), run the command with the lock
 * held, extend it every ttl/3, release it by compare-and-delete, and return the command's exit
 * code. The command runs in a process group of its own behind a watchdog that stops the group when
 * gridctl dies (supervised-command.ts). If the lock cannot be proven held any more (another token
 * took it, or no extension succeeded before its validity ran out) the group is stopped and the
 * result says so.
 */
export async function runUnderLock(opts: RunUnderLockOptions): Promise<RunUnderLockResult> {
  const { backend, ttlMs } = opts;
  const emit = opts.onEvent ?? (() => undefined);
  const started = Date.now();
  const acquired = await acquireWithWait(backend, { ttlMs, waitMs: opts.waitMs });
  const token = acquired.token;
  emit(`acquired ${backend.key} (token ${token}, ttl ${ttlMs} ms${backend.mode === 'redlock' ? ', redlock' : ''})`, 'info');

  const graceMs = opts.killGraceMs ?? 5000;
  let child: SupervisedCommand;
  try {
    child = startSupervised(opts.command, { ...opts.env, GRIDCTL_LOCK_KEY: backend.key, GRIDCTL_LOCK_TOKEN: token }, graceMs);
  } catch (err) {
    await backend.release(token).catch(() => undefined);
    throw spawnError(opts.command[0]!, err);
  }

  let extensions = 0;
  let lockLost = false;
  let lostReason: string | undefined;
  let validUntil = started + acquired.validityMs;
  child.validUntil(validUntil);
  let extending = false;
  let killTimer: NodeJS.Timeout | undefined;

  const loseLock = (reason: string) => {
    if (lockLost) return;
    lockLost = true;
    lostReason = reason;
    emit(`LOCK LOST: ${backend.key}: ${reason}; stopping the command's process group (SIGTERM, SIGKILL after ${graceMs} ms)`, 'warn');
    child.signal('SIGTERM');
    killTimer = setTimeout(() => child.signal('SIGKILL'), graceMs);
  };
  // Fires when the last proven validity runs out without a successful extension.
  let deadline = setTimeout(() => loseLock('no extension succeeded before the lock expired'), Math.max(0, validUntil - Date.now()));
  const extendTimer = setInterval(() => {
    if (extending || lockLost) return;
    extending = true;
    const at = Date.now();
    backend
      .extend(token, ttlMs)
      .then((r) => {
        if (lockLost) return;
        if (!r.extended) return loseLock(backend.mode === 'redlock' ? 'a majority of masters no longer hold our token' : 'the key no longer holds our token (expired or taken over)');
        extensions++;
        validUntil = at + r.validityMs;
        child.validUntil(validUntil);
        clearTimeout(deadline);
        deadline = setTimeout(() => loseLock('no extension succeeded before the lock expired'), Math.max(0, validUntil - Date.now()));
      })
      .catch((err: Error) => emit(`could not extend ${backend.key} (will retry until ${new Date(validUntil).toISOString()}): ${err.message}`, 'warn'))
      .finally(() => {
        extending = false;
      });
  }, Math.max(1, Math.floor(ttlMs / 3)));

  // While the command runs its signals are passed on: it decides, and gridctl exits with its status.
  const forward = (signal: NodeJS.Signals) => {
    emit(`forwarding ${signal} to the command`, 'info');
    child.signal(signal);
  };
  const giveBackSignals = opts.borrowSignals?.(forward) ?? (() => undefined);

  let exit: CommandExit;
  try {
    exit = await child.exited;
  } catch (err) {
    await backend.release(token).catch(() => undefined);
    throw spawnError(opts.command[0]!, err);
  } finally {
    clearInterval(extendTimer);
    clearTimeout(deadline);
    if (killTimer) clearTimeout(killTimer);
    giveBackSignals();
  }

  let released = false;
  try {
    const r = await backend.release(token);
    released = r.released;
    if (!released && !lockLost) emit(`${backend.key} was not ours any more at release (${r.reason}); nothing was deleted`, 'warn');
  } catch (err) {
    emit(`could not release ${backend.key}: ${(err as Error).message}; it expires by its TTL`, 'warn');
  }
  const exitCode = exit.code ?? 128 + (exit.signal ? (os.constants.signals[exit.signal] ?? 0) : 0);
  const result: RunUnderLockResult = {
    key: backend.key,
    mode: backend.mode,
    token,
    command: opts.command,
    exitCode,
    extensions,
    lockLost,
    released,
    durationMs: Date.now() - started,
    coverage: acquired.coverage,
  };
  if (exit.signal) result.signal = exit.signal;
  if (lostReason) result.lostReason = lostReason;
  return result;
}

function spawnError(command: string, err: unknown): GridctlError {
  const code = (err as NodeJS.ErrnoException).code;
  return new GridctlError('USAGE', `cannot run ${command}: ${code === 'ENOENT' ? 'command not found' : (err as Error).message}`, {
    hint: 'give the command after `--`, e.g. gridctl lock run nightly --ttl 30s -- ./job.sh; the lock was released',
    cause: err,
  });
}
