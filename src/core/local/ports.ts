import net from 'node:net';
import { GridctlError } from '../errors.js';

/**
 * Ask the kernel for `count` distinct free loopback ports by binding them all at once, then
 * releasing them. Holding them together guarantees they differ from each other.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
      });
      const port = (server.address() as net.AddressInfo).port;
      // Cluster bus ports are data port + 10000 by default; we set cluster-port explicitly, but
      // keep data ports low enough that +10000 stays valid for tools that assume the default.
      if (port > 55535) {
        i--;
        continue;
      }
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r(undefined)))));
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const PORT_ATTEMPTS = 3;

/**
 * Run `start` (which picks its ports with freePorts) again when a server found one of them taken:
 * between freePorts releasing a port and the server binding it, another process or an outgoing
 * connection's ephemeral port can take it.
 */
export async function retryOnPortCollision<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (attempt >= PORT_ATTEMPTS || !(err instanceof GridctlError) || !/Address already in use/.test(err.message)) throw err;
    }
  }
}
