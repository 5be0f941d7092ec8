import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';
import { writeFileAtomic, SECRET_FILE_MODE } from '../fs/atomic-write.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { bulkCommand, openRawConnection, simpleCommand } from '../redis/raw-connection.js';
import { parseInfo, parseInfoFields } from '../redis/info.js';
import { identityFromInfo, type Engine } from '../compat/server-identity.js';
import { RedisReplyError } from '../redis/socket-bytes.js';
import { findBinary, serverToolNames } from './binaries.js';
import { freePorts, retryOnPortCollision } from './ports.js';
import { isAlive, sleep, startDaemon, stopProcess } from './process.js';

export interface ThrowawayServer {
  spec: ConnectionSpec;
  /** The local server's engine and its own version (valkey-server: its valkey_version, not redis_version). */
  engine: Engine;
  serverVersion: string;
  /** Keys per database as loaded (INFO keyspace), e.g. { 0: 1200, 3: 5 }. */
  keysPerDb: Record<number, number>;
  /** Stop the server and remove its directory (the RDB it loaded is only linked, never touched). */
  stop(): Promise<void>;
}

/**
 * A private redis-server that loads one RDB file and serves it to gridctl alone: loopback only, a
 * free port, a random password, no persistence (it never writes the RDB back), in a 0700
 * temporary directory that holds a symlink to the file. Used to read RDB backups key by key.
 * Ctrl-C / SIGTERM stop it too. A file the local redis-server cannot load (damaged, or from a newer
 * Redis) fails with Redis' own complaint.
 */
export function startThrowawayServer(rdbFile: string, opts: { timeoutMs: number; loadTimeoutMs?: number }): Promise<ThrowawayServer> {
  return retryOnPortCollision(() => startThrowawayServerOnce(rdbFile, opts));
}

async function startThrowawayServerOnce(rdbFile: string, opts: { timeoutMs: number; loadTimeoutMs?: number }): Promise<ThrowawayServer> {
  const binary = await findBinary(serverToolNames('server'));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-rdb-'));
  const [port] = await freePorts(1);
  const password = randomBytes(24).toString('hex');
  const pidFile = path.join(dir, 'redis.pid');
  const logFile = path.join(dir, 'redis.log');
  let pid = 0;
  const stop = async () => {
    if (pid) await stopProcess(pid);
    await rm(dir, { recursive: true, force: true });
  };
  const removeCancel = onCancel(stop);
  try {
    await symlink(path.resolve(rdbFile), path.join(dir, 'dump.rdb'));
    // Only directives every redis-server since 6.0 knows: an older local binary must not refuse its config.
    const conf = [
      `port ${port}`, 'bind 127.0.0.1', 'protected-mode yes', `requirepass ${password}`, 'daemonize yes',
      `pidfile ${pidFile}`, `logfile ${logFile}`, `dir ${dir}`, 'dbfilename dump.rdb', 'save ""', 'appendonly no',
    ].join('\n');
    const confFile = path.join(dir, 'redis.conf');
    await writeFileAtomic(confFile, conf + '\n', { mode: SECRET_FILE_MODE });
    pid = await startDaemon(binary, confFile, pidFile, logFile);
    const spec: ConnectionSpec = { topology: 'standalone', nodes: [{ host: '127.0.0.1', port: port! }], auth: { password }, timeoutMs: opts.timeoutMs, source: `throwaway redis-server for ${path.basename(rdbFile)}` };
    const { engine, serverVersion, keysPerDb } = await waitUntilLoaded(spec, pid, logFile, rdbFile, opts.loadTimeoutMs ?? 600_000);
    return {
      spec,
      engine,
      serverVersion,
      keysPerDb,
      stop: async () => {
        removeCancel();
        await stop();
      },
    };
  } catch (err) {
    removeCancel();
    await stop();
    throw err;
  }
}

/** PING until the RDB is loaded (-LOADING until then); the server exiting means it refused the file. */
async function waitUntilLoaded(spec: ConnectionSpec, pid: number, logFile: string, rdbFile: string, timeoutMs: number): Promise<{ engine: Engine; serverVersion: string; keysPerDb: Record<number, number> }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(pid)) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      const why = log.split('\n').filter((l) => /#|RDB|error|version|Short read/i.test(l)).slice(-3).map((l) => l.replace(/^\d+:[A-Z] [^*#]*[*#] /, '').trim()).join('; ');
      throw new GridctlError('INTEGRITY', `the local redis-server could not load ${rdbFile}: ${why || 'it exited'}`, {
        hint: 'a damaged RDB, or one written by a newer Redis than the local redis-server (check `redis-server --version`)',
      });
    }
    try {
      const conn = await openRawConnection(spec, spec.nodes[0]!);
      try {
        // PING is refused with -LOADING until the RDB is in memory (INFO would answer during loading).
        await simpleCommand(conn, ['PING']);
        const info = parseInfo((await bulkCommand(conn, ['INFO', 'server']))?.toString('latin1') ?? '');
        const keyspace = parseInfo((await bulkCommand(conn, ['INFO', 'keyspace']))?.toString('latin1') ?? '');
        const keysPerDb: Record<number, number> = {};
        for (const [name, value] of Object.entries(keyspace)) {
          const db = /^db(\d+)$/.exec(name)?.[1];
          if (db) keysPerDb[Number(db)] = Number(parseInfoFields(value).keys ?? 0);
        }
        const server = identityFromInfo(info);
        return { engine: server.engine, serverVersion: server.version, keysPerDb };
      } finally {
        conn.close();
      }
    } catch (err) {
      const loading = err instanceof RedisReplyError && /^LOADING/.test(err.message);
      const refused = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
      if (!loading && !refused) throw err;
      if (Date.now() > deadline) throw new GridctlError('OPERATION_FAILED', `the local redis-server did not finish loading ${rdbFile} within ${Math.round(timeoutMs / 1000)} s`);
      await sleep(50);
    }
  }
}
