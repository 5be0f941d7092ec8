import net from 'node:net';
import tls from 'node:tls';
import type { Endpoint } from './endpoint.js';
import { toTlsOptions } from './tls-options.js';
import { SocketBytes, RedisReplyError } from './socket-bytes.js';
import type { ConnectionSpec } from './spec.js';

/**
 * A connection that speaks RESP without ioredis, for the two jobs where a client library's
 * per-command objects are the bottleneck: the RDB transfer (a byte stream, not replies) and the
 * pipelined logical backup (millions of small replies parsed straight from the socket bytes).
 */
export interface RawConnection {
  socket: net.Socket;
  input: SocketBytes;
  close(): void;
}

/** One command in RESP (a multi-bulk of binary-safe arguments). */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, CRLF);
  }
  return Buffer.concat(parts);
}
const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * TCP or TLS (with the deployment's certificates) to one node; fails with ETIMEDOUT after
 * spec.timeoutMs. `onread` (plain TCP only; a TLS socket ignores it and emits 'data') reads into
 * the caller's buffers instead of emitting 'data'.
 */
export function connectSocket(spec: ConnectionSpec, node: Endpoint, onread?: net.OnReadOpts): Promise<net.Socket> {
  const t = toTlsOptions(spec.tls);
  const socket: net.Socket = t
    ? tls.connect({ host: node.host, port: node.port, ...t, servername: spec.tls?.servername ?? (net.isIP(node.host) ? undefined : node.host) })
    : net.connect({ host: node.host, port: node.port, ...(onread ? { onread } : {}) });
  socket.setNoDelay(true);
  return new Promise<net.Socket>((resolve, reject) => {
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once(t ? 'secureConnect' : 'connect', () => {
      socket.setTimeout(0);
      socket.removeListener('error', fail);
      socket.removeAllListeners('timeout');
      resolve(socket);
    });
    socket.once('error', fail);
    socket.setTimeout(spec.timeoutMs, () => fail(Object.assign(new Error(`no connection within ${spec.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
  });
}

/** Run one command whose reply is a status (+OK); an error reply throws RedisReplyError. */
export async function simpleCommand(conn: Pick<RawConnection, 'socket' | 'input'>, args: ReadonlyArray<string | Buffer>): Promise<string> {
  conn.socket.write(encodeCommand(args));
  const line = await conn.input.line();
  if (line.startsWith('-')) throw new RedisReplyError(line.slice(1));
  return line.slice(1);
}

/** Run one command whose reply is an integer (DBSIZE); an error reply throws RedisReplyError. */
export async function integerCommand(conn: Pick<RawConnection, 'socket' | 'input'>, args: ReadonlyArray<string | Buffer>): Promise<number> {
  conn.socket.write(encodeCommand(args));
  const line = await conn.input.line();
  if (line.startsWith('-')) throw new RedisReplyError(line.slice(1));
  const n = Number(line.slice(1));
  if (!line.startsWith(':') || !Number.isInteger(n)) throw new Error(`protocol error: expected an integer, got ${JSON.stringify(line.slice(0, 40))}`);
  return n;
}

/** Run one command whose reply is a bulk string (INFO, GET): its bytes, or null for a nil. */
export async function bulkCommand(conn: Pick<RawConnection, 'socket' | 'input'>, args: ReadonlyArray<string | Buffer>): Promise<Buffer | null> {
  conn.socket.write(encodeCommand(args));
  const head = await conn.input.line();
  if (head.startsWith('-')) throw new RedisReplyError(head.slice(1));
  const length = Number(head.slice(1));
  if (!head.startsWith('$') || !Number.isInteger(length)) throw new Error(`protocol error: expected a bulk string, got ${JSON.stringify(head.slice(0, 40))}`);
  if (length < 0) return null;
  await conn.input.need(length + 2);
  const value = Buffer.from(conn.input.buf.subarray(conn.input.pos, conn.input.pos + length));
  conn.input.pos += length + 2;
  return value;
}

/** A reply of any shape: status and bulk strings as text, integers, nil, arrays of replies. */
export type Reply = string | number | null | Reply[];

/** Read one reply of any shape (HELLO, SENTINEL ...); an error reply throws RedisReplyError. */
async function readReply(input: SocketBytes): Promise<Reply> {
  const line = await input.line();
  const kind = line[0];
  if (kind === '-') throw new RedisReplyError(line.slice(1));
  if (kind === '+') return line.slice(1);
  const n = Number(line.slice(1));
  if (!Number.isInteger(n)) throw new Error(`protocol error: unexpected ${JSON.stringify(line.slice(0, 40))}`);
  if (kind === ':') return n;
  if (kind === '$') {
    if (n < 0) return null;
    await input.need(n + 2);
    const text = input.buf.toString('utf8', input.pos, input.pos + n);
    input.pos += n + 2;
    return text;
  }
  if (kind !== '*') throw new Error(`protocol error: unexpected ${JSON.stringify(line.slice(0, 40))}`);
  if (n < 0) return null;
  const items: Reply[] = [];
  for (let i = 0; i < n; i++) items.push(await readReply(input));
  return items;
}

/** Run one command and read its reply, whatever its shape. */
export async function anyCommand(conn: Pick<RawConnection, 'socket' | 'input'>, args: ReadonlyArray<string | Buffer>): Promise<Reply> {
  conn.socket.write(encodeCommand(args));
  return readReply(conn.input);
}

/** AUTH with the deployment's data-node credentials (nothing without a password). */
export async function authenticate(conn: Pick<RawConnection, 'socket' | 'input'>, spec: ConnectionSpec): Promise<void> {
  const auth = authArgs(spec);
  if (auth) await simpleCommand(conn, auth);
}

/** The AUTH command for the spec's credentials, or undefined when it has no password. */
export function authArgs(spec: ConnectionSpec): string[] | undefined {
  const { username, password } = spec.auth;
  if (!password) return undefined;
  return username ? ['AUTH', username, password] : ['AUTH', password];
}

/**
 * Connect, authenticate, select the database, and (Cluster replicas) allow reads. Errors are
 * thrown as they come (socket codes, RedisReplyError): callers classify them with their context.
 */
export async function openRawConnection(
  spec: ConnectionSpec,
  node: Endpoint,
  opts: { readOnly?: boolean; name?: string; idleTimeoutMs?: number; highWater?: number } = {},
): Promise<RawConnection> {
  const socket = await connectSocket(spec, node);
  const input = new SocketBytes(socket, opts.idleTimeoutMs ?? Math.max(spec.timeoutMs, 10_000), opts.highWater);
  const conn: RawConnection = { socket, input, close: () => socket.destroy() };
  try {
    await authenticate(conn, spec);
    if (spec.db) await simpleCommand(conn, ['SELECT', String(spec.db)]);
    // One node of a Cluster reached alone (--node-only) may be a replica: READONLY lets it serve reads.
    if (opts.readOnly || spec.partOf === 'cluster') await simpleCommand(conn, ['READONLY']);
    // The name shows in CLIENT LIST; a user without CLIENT SETNAME still gets its backup.
    if (opts.name) await simpleCommand(conn, ['CLIENT', 'SETNAME', opts.name]).catch(() => undefined);
    return conn;
  } catch (err) {
    socket.destroy();
    throw err;
  }
}
