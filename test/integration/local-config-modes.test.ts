import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stat } from 'node:fs/promises';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';

/**
 * Issue 24 item 9: Redis and Sentinel rewrite their own config (Sentinel at start and on every state
 * change, a data node on CONFIG REWRITE) as a new file of mode 0644 & ~umask. The configs `gridctl up`
 * writes carry masterauth / sentinel auth-pass, so they must stay 0600 through those rewrites.
 */
let d: TestDeployment;
beforeAll(async () => {
  d = await startDeployment({ topology: 'sentinel', acl: true });
});
afterAll(async () => {
  await d?.stop();
});

describe('gridctl up: runtime configs stay 0600', () => {
  it('after SENTINEL FLUSHCONFIG on every sentinel and CONFIG REWRITE on every data node', async () => {
    for (const n of d.state.nodes) {
      const c = await d.node(n);
      try {
        expect(await c.call(...((n.role === 'sentinel' ? ['SENTINEL', 'FLUSHCONFIG'] : ['CONFIG', 'REWRITE']) as [string, string]))).toBe('OK');
      } finally {
        c.disconnect();
      }
    }
    const modes = await Promise.all(d.state.nodes.map(async (n) => `${n.name} ${((await stat(n.configFile)).mode & 0o777).toString(8)}`));
    expect(modes).toEqual(d.state.nodes.map((n) => `${n.name} 600`));
  });
});
