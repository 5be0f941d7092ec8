import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * EVALSHA with a fallback to EVAL on NOSCRIPT (a fresh or flushed script cache), so the ACL
 * needs +evalsha +eval but not SCRIPT LOAD. Replies are Buffers: keys and payloads are binary.
 */
export class ScriptRunner {
  readonly sha: string;
  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: Redis, args: Array<Buffer | string | number>): Promise<unknown> {
    try {
      return await client.callBuffer('EVALSHA', this.sha, 0, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return client.callBuffer('EVAL', this.lua, 0, ...args);
    }
  }
}
