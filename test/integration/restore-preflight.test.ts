import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { testServers, type TestServer } from '../helpers/servers.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runRestore } from '../../src/core/restore/restore.js';

/**
 * The restore pre-flight (compat/can-load.ts) on RDB files written by real servers
 * (test/fixtures/rdb): a file the target cannot load is refused by its own header, exit 3, before
 * a throwaway server loads it and before the target is written. Runs on the redis-server on PATH
 * (Debian's 7.0 in CI); the Valkey target comes from GRIDCTL_TEST_SERVERS and is skipped without it.
 */
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/rdb');
const redis74Rdb = path.join(fixtures, 'redis-7.4.1.rdb');

async function restoreInto(t: TestDeployment, file: string): Promise<unknown> {
  const dep = await Deployment.open(t.spec);
  try {
    return await runRestore(dep, { file, onConflict: 'replace', dryRun: false, skipOtherDbs: true, confirmNonEmpty: () => Promise.resolve(true) }).catch((e: unknown) => e);
  } finally {
    await dep.close();
  }
}

async function keysOf(t: TestDeployment): Promise<string[]> {
  const c = (await t.client()) as Redis;
  try {
    return await c.keys('*');
  } finally {
    c.disconnect();
  }
}

function refusal(target: RegExp): Record<string, unknown> {
  return {
    code: 'USAGE',
    exitCode: 3,
    message: expect.stringMatching(new RegExp(`^the backup \\(RDB version 12\\) .*${target.source}.*; nothing was written$`)),
  };
}

async function withMarker(server?: TestServer): Promise<TestDeployment> {
  const t = await startDeployment({ topology: 'standalone', ...(server ? { server } : {}) });
  const c = (await t.client()) as Redis;
  await c.set('marker', 'untouched');
  c.disconnect();
  return t;
}

describe('restore pre-flight on RDB files of newer servers', () => {
  const started: TestDeployment[] = [];
  afterAll(async () => {
    for (const t of started) await t.stop();
  });

  describe('onto the redis-server on PATH', () => {
    let t: TestDeployment;
    let version = '';
    beforeAll(async () => {
      t = await withMarker();
      started.push(t);
      const c = (await t.client()) as Redis;
      version = /redis_version:(\S+)/.exec(await c.info('server'))![1]!;
      c.disconnect();
    }, 60_000);

    it('a Redis 7.4 RDB onto 7.0 is refused by its header, naming both versions: exit 3, the target untouched', async (ctx) => {
      if (!version.startsWith('7.0.')) ctx.skip();
      const err = await restoreInto(t, redis74Rdb);
      expect(err).toMatchObject(refusal(new RegExp(`is newer than the target Redis ${version.replace(/\./g, '\\.')} reads \\(RDB version 10 at most\\)`)));
      expect(err).toMatchObject({ hint: expect.stringMatching(/Redis 7\.4 or newer/) });
      expect(await keysOf(t)).toEqual(['marker']);
    });
  });

  const valkey = testServers().find((s) => s.engine === 'valkey' && !s.version.startsWith('255.'));
  describe.skipIf(!valkey)(`onto ${valkey?.name ?? 'a Valkey release (none in GRIDCTL_TEST_SERVERS)'}`, () => {
    let t: TestDeployment;
    beforeAll(async () => {
      t = await withMarker(valkey);
      started.push(t);
    }, 60_000);

    it('a Redis 7.4 RDB is refused naming the target as Valkey, not by its redis_version 7.2.4', async () => {
      const err = await restoreInto(t, redis74Rdb);
      expect(err).toMatchObject(refusal(new RegExp(`which Valkey does not read; the target runs Valkey ${valkey!.version.replace(/\./g, '\\.')},`)));
      expect((err as Error).message).not.toMatch(/7\.2\.4/);
      expect(await keysOf(t)).toEqual(['marker']);
    });
  });
});
