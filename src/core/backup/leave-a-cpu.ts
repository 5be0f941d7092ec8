import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import type { ConnectionSpec } from '../redis/spec.js';

/**
 * When the deployment runs on this host, a backup keeps off one CPU (the first it may use), so
 * Redis always has a core that gridctl and redis-check-rdb never take: for an RDB, Redis' forked
 * child serialises the whole dataset on one core and is the transfer's critical path; for a
 * logical backup, Redis' main thread is. Left to the scheduler, the backup's own work (Node's
 * threads, redis-check-rdb) keeps landing on that core and the fork waits for it (bench/README.md).
 * Not for restore: there the client is the bottleneck.
 *
 * Nothing changes when the deployment is elsewhere (nothing to share), on a single CPU, off Linux,
 * or when the process is already narrowed to fewer CPUs than the host has (`taskset`, a
 * container's cpuset): then the operator chose. Nor for a Cluster: its masters, several Redis
 * processes backed up in parallel, need more than the one CPU this would leave them. The affinity is set for every thread of the
 * process (`taskset -a`); threads and processes started later inherit it. Never fails: a missing
 * taskset (util-linux) only means the backup shares the CPUs as before. Resolves with the CPUs the
 * backup now runs on, or undefined when it did not change them.
 */
export async function leaveACpuToLocalRedis(spec: ConnectionSpec): Promise<number[] | undefined> {
  try {
    if (process.platform !== 'linux' || spec.topology === 'cluster') return undefined;
    if (!spec.nodes.length || !spec.nodes.every((n) => isThisHost(n.host))) return undefined;
    const [status, online] = await Promise.all([readFile('/proc/self/status', 'utf8'), readFile('/sys/devices/system/cpu/online', 'utf8')]);
    const allowed = parseCpuList(/^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '');
    if (allowed.length < 2 || allowed.length < parseCpuList(online.trim()).length) return undefined;
    const keep = allowed.slice(1);
    const ok = await new Promise<boolean>((resolve) => {
      const p = spawn('taskset', ['-a', '-p', '-c', keep.join(','), String(process.pid)], { stdio: 'ignore' });
      p.once('error', () => resolve(false));
      p.once('close', (code) => resolve(code === 0));
    });
    return ok ? keep : undefined;
  } catch {
    return undefined;
  }
}

/** The CPUs of a kernel CPU list ("0-3,8,10-11"), ascending. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus;
}

/** A loopback name or address, or an address of one of this host's interfaces (no DNS lookup). */
export function isThisHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const kind = net.isIP(h);
  if (!kind) return false;
  if (kind === 4 ? h.startsWith('127.') : h === '::1' || h.startsWith('::ffff:127.')) return true;
  return Object.values(os.networkInterfaces()).some((addrs) => addrs?.some((a) => a.address.toLowerCase() === h));
}
