import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { GridctlError } from '../errors.js';

/**
 * Start redis-server / redis-sentinel on a config with `daemonize yes`: the server validates the
 * config in the foreground (a bad config fails here, with Redis' own message), then forks; the
 * daemon's pid is read from its pidfile.
 *
 * Under umask 077, as the rendered systemd units (UMask=0077): a server rewrites its own config
 * (Sentinel at start and on every state change, CONFIG REWRITE) as a new file of mode 0644 & ~umask,
 * and that file holds masterauth / sentinel auth-pass in clear, so it must come out 0600.
 */
export async function startDaemon(binary: string, configFile: string, pidFile: string, logFile: string, opts: { timeoutMs?: number; args?: readonly string[] } = {}): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const { execa } = await import('execa');
  // A restarted node appends to its old log: only what this start writes counts.
  const logStart = (await stat(logFile).catch(() => undefined))?.size ?? 0;
  const result = await execa('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', binary, configFile, ...(opts.args ?? [])], { reject: false, timeout: timeoutMs, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    const why = (result.stderr || result.stdout || lastLines(log, 6)).trim();
    throw new GridctlError('OPERATION_FAILED', `${binary} refused to start with ${configFile}: ${why.split('\n').slice(-4).join(' | ')}`);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (pid > 0 && isAlive(pid)) return pid;
    // The forked daemon gives up on a taken port before writing its pidfile: no need to wait it out.
    const log = (await readFile(logFile).catch(() => Buffer.alloc(0))).subarray(logStart).toString('utf8');
    if (/Failed listening on port .*aborting/.test(log)) throw new GridctlError('OPERATION_FAILED', `${binary} did not start: ${lastLines(log, 4)}`);
    await sleep(25);
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new GridctlError('OPERATION_FAILED', `${binary} did not start (no pid in ${pidFile}): ${lastLines(log, 4)}`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A daemon that exited but was not yet reaped (zombie) still answers kill(0): it is gone for us.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Is `pid` still the Redis process we started (and not a reused pid of something else)? */
export async function isOurRedis(pid: number, configFile: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
    return /redis|valkey/.test(cmdline) || cmdline.includes(configFile); // a daemonized server shows its name and address, not the config
  } catch {
    // No /proc (not Linux): fall back to trusting the pid we recorded.
    return true;
  }
}

/** SIGTERM, wait up to graceMs, then SIGKILL. Resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(20);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(20);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
