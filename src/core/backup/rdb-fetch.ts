import net from 'node:net';
import { open, rename, unlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { onCancel } from '../cancel.js';
import type { Endpoint } from '../redis/connect.js';
import { authenticate, connectSocket, encodeCommand } from '../redis/raw-connection.js';
import { SocketBytes } from '../redis/socket-bytes.js';
import type { ConnectionSpec } from '../redis/spec.js';

const EOF_MARK_BYTES = 40;
const IDLE_TIMEOUT_MS = 60_000;

export interface RdbFetchResult {
  file: string;
  bytes: number;
  sha256: string;
  /** CRC-32 of the bytes received (cheap to recompute when the file is read back). */
  crc32: number;
  /** 'eof-marker' = diskless transfer; 'sized' = the master wrote an RDB file first. */
  transfer: 'eof-marker' | 'sized';
}

export interface RdbFetchOptions {
  /** Every byte of the RDB, in order, as it is written (e.g. to redis-check-rdb); awaited. */
  onData?(chunk: Buffer): Promise<void>;
  /** After the fsync, before the rename: throw to refuse the file (it is removed, nothing is renamed). */
  beforeRename?(): Promise<void>;
}

/**
 * Fetch one node's RDB the way `redis-cli --rdb` does: REPLCONF capa eof + rdb-only 1, then SYNC,
 * and read either a sized bulk ($<len>) or a diskless transfer ($EOF:<40-byte mark>, ended by the
 * same mark), over TLS when the deployment uses it. Written to a temp name, fsynced, renamed.
 */
export async function fetchRdb(spec: ConnectionSpec, node: Endpoint, file: string, opts: RdbFetchOptions = {}): Promise<RdbFetchResult> {
  // Connect while the temp file is opened; a failure is awaited (and reported) below.
  const connected = connectSocket(spec, node);
  connected.catch(() => undefined);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  let finished = false;
  let socket: net.Socket | undefined;
  const cleanup = async () => {
    socket?.destroy();
    if (!finished) {
      await handle.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  };
  const removeCancel = onCancel(cleanup);
  try {
    socket = await connected;
    // A fork + RDB transfer gets a longer idle timeout than a command.
    const io = new SocketBytes(socket, IDLE_TIMEOUT_MS);
    const conn = { socket, input: io };
    await authenticate(conn, spec);
    socket.write(encodeCommand(['REPLCONF', 'capa', 'eof']));
    await io.line(); // older servers may refuse; they then send a sized payload
    socket.write(encodeCommand(['REPLCONF', 'rdb-only', '1']));
    await io.line();
    socket.write(encodeCommand(['SYNC']));
    const head = await io.line();
    if (head.startsWith('-')) throw Object.assign(new Error(head.slice(1)), { replyError: true });
    if (!head.startsWith('$')) throw new Error(`unexpected reply to SYNC: ${head.slice(0, 60)}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let crc = 0;
    const write = async (b: Buffer) => {
      if (!b.length) return;
      hash.update(b);
      crc = crc32(b, crc);
      bytes += b.length;
      if (opts.onData) await Promise.all([handle.write(b), opts.onData(b)]);
      else await handle.write(b);
    };
    let transfer: RdbFetchResult['transfer'];
    if (head.startsWith('$EOF:')) {
      transfer = 'eof-marker';
      const mark = Buffer.from(head.slice(5, 5 + EOF_MARK_BYTES), 'latin1');
      // Hold back the last 40 bytes of what arrived: they might be the mark. Only those 40 bytes
      // are ever copied; chunks are written as they arrived.
      let tail = Buffer.alloc(0);
      for (;;) {
        const c = await io.chunk();
        if (c === null) throw new Error('connection closed before the end-of-transfer marker');
        if (tail.length + c.length < EOF_MARK_BYTES) {
          tail = Buffer.concat([tail, c]);
          continue;
        }
        const last = c.length >= EOF_MARK_BYTES ? c.subarray(c.length - EOF_MARK_BYTES) : Buffer.concat([tail, c]).subarray(-EOF_MARK_BYTES);
        if (last.equals(mark)) {
          if (c.length >= EOF_MARK_BYTES) {
            await write(tail);
            await write(c.subarray(0, c.length - EOF_MARK_BYTES));
          } else {
            await write(tail.subarray(0, tail.length + c.length - EOF_MARK_BYTES));
          }
          break;
        }
        if (c.length >= EOF_MARK_BYTES) {
          await write(tail);
          await write(c.subarray(0, c.length - EOF_MARK_BYTES));
          tail = Buffer.from(c.subarray(c.length - EOF_MARK_BYTES));
        } else {
          const all = Buffer.concat([tail, c]);
          await write(all.subarray(0, all.length - EOF_MARK_BYTES));
          tail = Buffer.from(all.subarray(all.length - EOF_MARK_BYTES));
        }
      }
    } else {
      transfer = 'sized';
      let left = Number(head.slice(1));
      if (!Number.isFinite(left) || left < 0) throw new Error(`unexpected reply to SYNC: ${head.slice(0, 60)}`);
      while (left > 0) {
        const c = await io.chunk();
        if (c === null) throw new Error(`connection closed with ${left} RDB bytes still to come`);
        const take = c.subarray(0, left);
        if (c.length > left) io.unshift(c.subarray(left));
        await write(take);
        left -= take.length;
      }
    }
    socket.destroy();
    await handle.sync();
    await opts.beforeRename?.();
    await handle.close();
    finished = true;
    await rename(tmp, file);
    return { file, bytes, sha256: hash.digest('hex'), crc32: crc, transfer };
  } catch (err) {
    await cleanup();
    if (err instanceof GridctlError) throw err;
    const msg = (err as Error).message;
    if ((err as { replyError?: boolean }).replyError) {
      const code = /^(WRONGPASS|NOAUTH)/.test(msg) ? 'AUTH_FAILED' : /^NOPERM/.test(msg) ? 'PERMISSION_DENIED' : 'OPERATION_FAILED';
      throw new GridctlError(code, `RDB transfer from ${node.host}:${node.port} refused: ${msg}`, {
        cause: err,
        ...(code === 'PERMISSION_DENIED' ? { hint: 'the backup user needs +sync +replconf for --mode rdb' } : {}),
      });
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new GridctlError(code === 'ENOSPC' ? 'OPERATION_FAILED' : code === 'ECONNREFUSED' ? 'CONNECTION_REFUSED' : code === 'ETIMEDOUT' ? 'CONNECTION_TIMEOUT' : 'OPERATION_FAILED', `RDB transfer from ${node.host}:${node.port} failed: ${code === 'ENOSPC' ? 'the disk is full' : msg}; no partial file was left`, { cause: err });
  } finally {
    removeCancel();
  }
}
