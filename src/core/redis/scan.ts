import type { Redis } from 'ioredis';
import type { Deployment } from './deployment.js';

export interface ScanOptions {
  match?: string;
  /** SCAN COUNT hint. */
  count?: number;
  type?: string;
}

/** SCAN one node to the end, yielding each page of keys (as Buffers: keys are binary-safe). */
export async function* scanNode(client: Redis, opts: ScanOptions = {}): AsyncGenerator<Buffer[]> {
  let cursor = '0';
  const args: Array<string | number> = [];
  if (opts.match) args.push('MATCH', opts.match);
  args.push('COUNT', opts.count ?? 1000);
  if (opts.type) args.push('TYPE', opts.type);
  do {
    const [next, keys] = (await client.scanBuffer(cursor, ...(args as ['COUNT', number]))) as unknown as [Buffer, Buffer[]];
    cursor = next.toString();
    if (keys.length) yield keys;
  } while (cursor !== '0');
}

/** SCAN the whole deployment: every master of a Cluster, or the one master otherwise. */
export async function* scanDeployment(dep: Deployment, opts: ScanOptions = {}): AsyncGenerator<{ address: string; keys: Buffer[] }> {
  for (const m of await dep.masterClients()) {
    for await (const keys of scanNode(m.client, opts)) yield { address: m.address, keys };
  }
}
