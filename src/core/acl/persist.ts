import type { Redis } from 'ioredis';

/** How a node's ACL change was made to survive a restart. */
export type Persistence = 'acl save' | 'config rewrite' | 'sentinel flushconfig';

const NO_ACLFILE = /not configured to use an ACL file/i;

/**
 * Write a node's users where it loads them from: ACL SAVE when it uses an aclfile; otherwise its
 * `user` lines in the config file, by CONFIG REWRITE (a Sentinel: SENTINEL FLUSHCONFIG, which
 * rewrites sentinel.conf with its users). ACL SAVE is tried first because it says which it is
 * without CONFIG GET (which would hand the operator masterauth in clear).
 */
export async function persistAcl(client: Redis, sentinel: boolean): Promise<Persistence> {
  try {
    await client.call('ACL', 'SAVE');
    return 'acl save';
  } catch (err) {
    if (!NO_ACLFILE.test(String((err as Error).message))) throw err;
  }
  if (sentinel) {
    await client.call('SENTINEL', 'FLUSHCONFIG');
    return 'sentinel flushconfig';
  }
  await client.call('CONFIG', 'REWRITE');
  return 'config rewrite';
}
