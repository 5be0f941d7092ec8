import type net from 'node:net';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';
import { endpointLabel, type Endpoint } from '../redis/endpoint.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { authArgs, connectSocket, encodeCommand } from '../redis/raw-connection.js';
import { RedisReplyError } from '../redis/socket-bytes.js';
import { writeAll } from '../fs/write-all.js';
import { describeWriteFailure, isWriteFailure } from '../fs/write-failure.js';
import { WriteBehind } from '../fs/write-behind.js';
import type { ConnectionSpec } from '../redis/spec.js';
import { RdbReceiver } from './rdb-receiver.js';

/** No byte from the server for this long while reading fails the transfer (not while paused). */
const IDLE_TIMEOUT_MS = 60_000;
/** Received bytes not yet written (to the file and to redis-check-rdb) before the reading waits. */
const WRITE_BEHIND_BYTES = 16 << 20;
/**
 * Written bytes flushed to disk (fdatasync) while the transfer goes on, so the fsync before the
 * rename has only the last few MB left, and the page cache never holds more than this much of the
 * backup unwritten.
 */
const DATASYNC_EVERY_BYTES = 32 << 20;

/** Socket errors mid-transfer, as the error codes the connection layer uses for them. */
const LOST_CONNECTION: Record<string, 'CONNECTION_REFUSED' | 'CONNECTION_TIMEOUT' | 'UNREACHABLE'> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ETIMEDOUT: 'CONNECTION_TIMEOUT',
  ECONNRESET: 'UNREACHABLE',
  EPIPE: 'UNREACHABLE',
  ECONNABORTED: 'UNREACHABLE',
  EHOSTUNREACH: 'UNREACHABLE',
  ENETUNREACH: 'UNREACHABLE',
};

export interface RdbFetchResult {
  file: string;
  bytes: number;
  sha256: string;
  /** 'eof-marker' = diskless transfer; 'sized' = the master wrote an RDB file first. */
  transfer: 'eof-marker' | 'sized';
}

export interface RdbFetchOptions {
  /** Every byte of the RDB, in order, a batch at a time as it is written (e.g. to redis-check-rdb); awaited. */
  onData?(batch: Buffer[]): Promise<void>;
  /** Bytes of the RDB received so far, after each 1 MiB batch and at the end (for progress). */
  onBytes?(received: number): void;
  /** SYNC has gone out: the server is forking. Work that need not delay the transfer can start now. */
  onSyncSent?(): void;
  /** After the fsync, before the rename: throw to refuse the file (it is removed, nothing is renamed). */
  beforeRename?(): Promise<void>;
  /** Idle timeout while reading, ms (default 60 s); it does not run while the reading waits for the writes. */
  idleTimeoutMs?: number;
  /** Aborted when a sibling transfer failed: this one stops, removes its temp file and renames nothing. */
  signal?: AbortSignal;
}

/** The error a transfer stops with when its signal aborts (not reported: the sibling's failure is). */
const TRANSFER_ABORTED = 'ECANCELED';

/**
 * Fetch one node's RDB the way `redis-cli --rdb` does: REPLCONF capa eof + rdb-only 1, then SYNC,
 * and read either a sized bulk ($<len>) or a diskless transfer ($EOF:<40-byte mark>, ended by the
 * same mark), over TLS when the deployment uses it. Written to a temp name, fsynced, renamed.
 */
export async function fetchRdb(spec: ConnectionSpec, node: Endpoint, file: string, opts: RdbFetchOptions = {}): Promise<RdbFetchResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  // Batches are hashed as they are handed on and written behind the reads: the socket is drained
  // as fast as Redis sends, and only a disk or a checker WRITE_BEHIND_BYTES behind stops reading.
  let unsynced = 0;
  let handle: FileHandle | undefined;
  const out = new WriteBehind(
    async (batch) => {
      await Promise.all([writeAll(handle!, batch), opts.onData?.(batch)]);
      for (const b of batch) {
        unsynced += b.length;
        receiver.recycle(b);
      }
      if (unsynced >= DATASYNC_EVERY_BYTES) {
        unsynced = 0;
        await handle!.datasync();
      }
    },
    WRITE_BEHIND_BYTES,
  );
  let socket: net.Socket | undefined;
  const idleMs = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  // Re-armed each time reading resumes; the one 'timeout' listener is added once (below): passing
  // it to setTimeout on every resume added a listener each time (MaxListenersExceededWarning on a
  // 64 MB RDB, printed by cron).
  const watchIdle = (s: net.Socket) => s.setTimeout(idleMs);
  const receiver = new RdbReceiver((payload) => {
    hash.update(payload);
    bytes += payload.length;
    opts.onBytes?.(bytes);
    const pushed = out.push([payload]);
    pushed.catch((err: Error) => receiver.fail(err));
    if (!out.backlogged) return true;
    // Reading stops until the writes catch up; the server is not idle meanwhile, we are.
    socket?.setTimeout(0);
    void pushed.then(() => {
      if (socket) watchIdle(socket);
      socket?.resume();
    }, () => undefined);
    return false;
  });
  // Connect while the temp file is opened; a failure is awaited (and reported) below.
  const connected = connectSocket(spec, node, { buffer: () => receiver.space(), callback: (n) => receiver.readInto(n) });
  connected.catch(() => undefined);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  handle = await open(tmp, 'wx', 0o600);
  let finished = false;
  let syncSent = false;
  const cleanup = async () => {
    socket?.destroy();
    if (!finished) {
      await handle!.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  };
  const removeCancel = onCancel(cleanup);
  const aborted = () => Object.assign(new Error('stopped: another transfer of this backup failed'), { code: TRANSFER_ABORTED });
  const onAbort = () => {
    receiver.fail(aborted());
    socket?.destroy();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (opts.signal?.aborted) throw aborted();
    socket = await connected;
    const s = socket;
    // A TLS socket has no `onread`: its decrypted chunks come as 'data' and are copied in.
    if (spec.tls) s.on('data', (d: Buffer) => receiver.push(d) || s.pause());
    s.on('error', (err) => receiver.end(err));
    s.on('close', () => receiver.end());
    // A fork + RDB transfer gets a longer idle timeout than a command.
    s.on('timeout', () => s.destroy(Object.assign(new Error(`no data from the server for ${idleMs / 1000}s`), { code: 'ETIMEDOUT' })));
    watchIdle(s);
    // AUTH and the two REPLCONFs go out in one write (Redis answers them in order), then SYNC once
    // they are answered: Redis refuses SYNC from a client with replies still unsent ("SYNC and
    // PSYNC are invalid with pending output"). A refused AUTH is read first and ends the transfer.
    const auth = authArgs(spec);
    s.write(Buffer.concat([...(auth ? [encodeCommand(auth)] : []), encodeCommand(['REPLCONF', 'capa', 'eof']), encodeCommand(['REPLCONF', 'rdb-only', '1'])]));
    if (auth) {
      const reply = await receiver.line();
      if (reply.startsWith('-')) throw new RedisReplyError(reply.slice(1));
    }
    // capa eof: older servers may refuse it (they then send a sized payload); rdb-only: older
    // servers may refuse it (the stream after the RDB is then cut off). A server that wants a
    // password refuses both with NOAUTH: that ends it here, before SYNC, like a refused AUTH.
    for (let i = 0; i < 2; i++) {
      const reply = await receiver.line();
      if (reply.startsWith('-NOAUTH')) throw new RedisReplyError(reply.slice(1));
    }
    const payload = receiver.expectPayload();
    s.write(encodeCommand(['SYNC']));
    syncSent = true;
    opts.onSyncSent?.();
    const transfer = await payload;
    await receiver.finished;
    opts.onBytes?.(bytes);
    await out.flush();
    s.destroy();
    await handle.sync();
    await opts.beforeRename?.();
    if (opts.signal?.aborted) throw aborted();
    await handle.close();
    finished = true;
    await rename(tmp, file);
    return { file, bytes, sha256: hash.digest('hex'), transfer };
  } catch (err) {
    await cleanup();
    if (err instanceof GridctlError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // Not connected, TLS refused, AUTH refused (nothing is written before SYNC): the words every
    // other command uses for these.
    if (!syncSent) throw classifyRedisError(err, errorContext(spec, endpointLabel(node)));
    const msg = (err as Error).message;
    if ((err as { replyError?: boolean }).replyError) {
      const refusal = /^NOPERM/.test(msg) ? 'PERMISSION_DENIED' : 'OPERATION_FAILED';
      throw new GridctlError(refusal, `RDB transfer from ${node.host}:${node.port} refused: ${msg}`, {
        cause: err,
        ...(refusal === 'PERMISSION_DENIED' ? { hint: 'the backup user needs +sync +replconf for --mode rdb' } : {}),
      });
    }
    if (isWriteFailure(err)) throw new GridctlError('OPERATION_FAILED', `RDB transfer from ${node.host}:${node.port} failed: ${describeWriteFailure(err)}; no partial file was left`, { cause: err });
    // The source went away mid-transfer: unreachable (exit 5), as a logical backup reports it.
    throw new GridctlError(LOST_CONNECTION[code ?? ''] ?? 'OPERATION_FAILED', `RDB transfer from ${node.host}:${node.port} failed: ${msg}; no partial file was left`, { cause: err });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    removeCancel();
  }
}
