import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isOurRedis } from '../../../src/core/local/process.js';

/** A process whose command line reads like a daemonized server's (`valkey-server 127.0.0.1:6379`). */
async function lookalike(name: string) {
  const child = spawn('bash', ['-c', `exec -a ${name} sleep 30`], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  await new Promise((r) => setTimeout(r, 100)); // exec replaces bash's command line
  return child;
}

describe('isOurRedis: `down` stops what `up` started, Redis or Valkey', () => {
  for (const name of ['redis-server', 'valkey-server', 'valkey-sentinel']) {
    it(`recognises ${name} by its command line`, async () => {
      const child = await lookalike(name);
      try {
        expect(await isOurRedis(child.pid!, '/nowhere/redis.conf')).toBe(true);
      } finally {
        child.kill('SIGKILL');
      }
    });
  }

  it('does not take another process on a reused pid for a server', async () => {
    const child = await lookalike('postgres');
    try {
      expect(await isOurRedis(child.pid!, '/nowhere/redis.conf')).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
