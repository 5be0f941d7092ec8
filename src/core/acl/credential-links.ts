import type { Redis } from 'ioredis';
import { clientList } from './client-list.js';
import type { OpenNode } from './every-node.js';

/**
 * Where a server itself authenticates as the rotated user, with a password that cannot be hashed
 * (Gotcha 11): a data node's masterauth (its masteruser), a Sentinel's auth-pass to the data nodes
 * (auth-user) and its sentinel-pass to the other Sentinels (sentinel-user). Each must move to the
 * new password after every node accepts it and before the old one is removed.
 */
export type LinkKind = 'masterauth' | 'sentinel auth-pass' | 'sentinel sentinel-pass';

export interface CredentialLink {
  kind: LinkKind;
  node: string;
  /** planned (dry run) · set · failed */
  change: 'planned' | 'set' | 'failed';
  error?: string;
}

/** The links that use `user`, found without reading any password: CONFIG GET masteruser, the Sentinels' connection names, SENTINEL CONFIG GET sentinel-user. */
export async function findCredentialLinks(nodes: readonly OpenNode[], user: string): Promise<Array<{ kind: LinkKind; node: OpenNode }>> {
  const data = nodes.filter((n) => n.role !== 'sentinel');
  const sentinels = nodes.filter((n) => n.role === 'sentinel');
  const links: Array<{ kind: LinkKind; node: OpenNode }> = [];
  const sentinelIds = new Set<string>();
  for (const n of data) {
    const masteruser = (await n.client.call('CONFIG', 'GET', 'masteruser')) as string[];
    if (masteruser[1] === user) links.push({ kind: 'masterauth', node: n });
    // A Sentinel names its connections sentinel-<first 8 of its id>-cmd|pubsub.
    for (const c of await clientList(n.client)) {
      const m = /^sentinel-([0-9a-f]{8})-(cmd|pubsub)$/.exec(c.name);
      if (m && c.user === user) sentinelIds.add(m[1]!);
    }
  }
  for (const s of sentinels) {
    const id = String(await s.client.call('SENTINEL', 'MYID'));
    if (sentinelIds.has(id.slice(0, 8))) links.push({ kind: 'sentinel auth-pass', node: s });
    const reply = (await s.client.call('SENTINEL', 'CONFIG', 'GET', 'sentinel-user')) as string[];
    if (reply[1] === user) links.push({ kind: 'sentinel sentinel-pass', node: s });
  }
  return links;
}

/** Point one link at the new password; each form persists itself (CONFIG REWRITE, Sentinel's own rewrite). */
export async function setLinkPassword(client: Redis, kind: LinkKind, password: string, masterName: string | undefined): Promise<void> {
  if (kind === 'masterauth') {
    await client.call('CONFIG', 'SET', 'masterauth', password);
    await client.call('CONFIG', 'REWRITE');
  } else if (kind === 'sentinel auth-pass') {
    await client.call('SENTINEL', 'SET', masterName ?? '', 'auth-pass', password);
  } else {
    await client.call('SENTINEL', 'CONFIG', 'SET', 'sentinel-pass', password);
  }
}
