/**
 * A node's address, and how gridctl prints it. Kept apart from connect.ts (which loads ioredis) so
 * code that talks to Redis over its own socket, such as the RDB transfer, can start without it.
 */
export interface Endpoint {
  host: string;
  port: number;
}

/** host:port, with an IPv6 host in brackets. */
export function endpointLabel(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
