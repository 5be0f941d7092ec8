import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts, retryOnPortCollision } from '../../src/core/local/ports.js';
import { startDaemon, stopProcess } from '../../src/core/local/process.js';
import { findBinary, serverToolNames } from '../../src/core/local/binaries.js';

/** A port freePorts handed out can be taken before redis-server binds it: the start is tried again on fresh ports. */
describe('a free port taken before the server binds it', () => {
  const dirs: string[] = [];
  const pids: number[] = [];
  afterAll(async () => {
    await Promise.all(pids.map((p) => stopProcess(p, 2000)));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** Start a real redis-server on `port` in a folder of its own; its pid. */
  async function startOn(port: number): Promise<number> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-port-'));
    dirs.push(dir);
    const conf = path.join(dir, 'redis.conf');
    const pidFile = path.join(dir, 'redis.pid');
    const logFile = path.join(dir, 'redis.log');
    await writeFile(conf, [`port ${port}`, 'bind 127.0.0.1', 'daemonize yes', `pidfile ${pidFile}`, `logfile ${logFile}`, `dir ${dir}`, 'save ""'].join('\n') + '\n');
    const pid = await startDaemon(await findBinary(serverToolNames('server')), conf, pidFile, logFile);
    pids.push(pid);
    return pid;
  }

  it('redis-server refusing a taken port is retried with new ports and then runs', async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()));
    const taken = (squatter.address() as net.AddressInfo).port;
    const tried: number[] = [];
    try {
      const pid = await retryOnPortCollision(async () => {
        const [port] = tried.length ? await freePorts(1) : [taken];
        tried.push(port!);
        return startOn(port!);
      });
      expect(pid).toBeGreaterThan(0);
      expect(tried).toHaveLength(2);
      expect(tried[0]).toBe(taken);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  it('other failures are not retried', async () => {
    let calls = 0;
    await expect(
      retryOnPortCollision(async () => {
        calls++;
        throw new Error('no such binary');
      }),
    ).rejects.toThrow('no such binary');
    expect(calls).toBe(1);
  });
});
