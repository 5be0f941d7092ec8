import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../../helpers/redis.js';
import { hasHashFieldTtl, testServers } from '../../helpers/servers.js';
import { Deployment } from '../../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../../src/core/backup/backup.js';
import { runRestore } from '../../../src/core/restore/restore.js';
import { DEFAULT_NAMESPACES } from '../../../src/core/config/defaults.js';
import { canLoad } from '../../../src/core/compat/can-load.js';
import { describeServer, identityFromInfo } from '../../../src/core/compat/server-identity.js';
import { parseInfo } from '../../../src/core/redis/info.js';

/**
 * Restore across versions, every ordered pair of GRIDCTL_TEST_SERVERS: where the target can load
 * the backup (compat/can-load.ts) the round trip is DEBUG DIGEST equal; where it cannot, restore
 * refuses before any write (exit 3, both versions named) and the target keeps its one marker key.
 */
const servers = testServers();

/** Per key: DEBUG DIGEST-VALUE, but a zset by its members and scores as numbers (see the 7.0 note below). */
async function fingerprint(c: Redis): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of (await c.keys('*')).sort()) {
    const type = await c.type(k);
    out[k] = type === 'zset' ? JSON.stringify((await c.zrange(k, 0, -1, 'WITHSCORES')).map((v, i) => (i % 2 ? Number(v) : v))) : `${type}:${String(await c.call('DEBUG', 'DIGEST-VALUE', k))}`;
  }
  return out;
}
const withServers = servers.length > 1 ? describe : describe.skip;

withServers('restore across versions', () => {
  const nodes: TestDeployment[] = [];
  const backups: string[] = [];
  const digests: string[] = [];
  const fingerprints: Array<Record<string, string>> = [];
  let dir: string;
  const call = async <T>(t: TestDeployment, fn: (c: Redis) => Promise<T>) => {
    const c = (await t.client()) as Redis;
    try {
      return await fn(c);
    } finally {
      c.disconnect();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-cross-'));
    for (const [i, server] of servers.entries()) {
      const t = await startDeployment({ topology: 'standalone', server });
      nodes.push(t);
      await call(t, async (c) => {
        await c.set('market:current_epoch', '42');
        await c.hset('user:profile:p1', 'name', 'n', 'token', 't');
        await c.sadd('set:small', 'a', 'b');
        await c.zadd('orderbook:buy', 0.1, 'a', 0.2, 'b');
        await c.rpush('list:small', 'a', 'b');
        await c.xadd('stream:trades', '1-0', 'seq', '1');
        if (hasHashFieldTtl(server)) await c.call('HEXPIRE', 'user:profile:p1', 3600, 'FIELDS', 1, 'token');
        digests.push((await c.call('DEBUG', 'DIGEST')) as string);
        fingerprints.push(await fingerprint(c));
      });
      const dep = await Deployment.open(t.spec);
      try {
        backups.push((await runLogicalBackup(dep.spec, async () => dep, { dir: path.join(dir, String(i)), mode: 'logical', namespaces: DEFAULT_NAMESPACES })).file);
      } finally {
        await dep.close();
      }
    }
  }, 300_000);
  afterAll(async () => {
    for (const t of nodes) await t.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const [s, source] of servers.entries()) {
    for (const [d, target] of servers.entries()) {
      if (s === d) continue;
      it(`${source.name} -> ${target.name}`, async () => {
        const t = nodes[d]!;
        const info = await call(t, async (c) => parseInfo(await c.info('server')));
        const sourceInfo = await call(nodes[s]!, async (c) => parseInfo(await c.info('server')));
        const src = identityFromInfo(sourceInfo);
        const verdict = canLoad({ engine: src.engine, version: src.version, rdbVersion: src.rdbVersion ?? 11 }, identityFromInfo(info));
        await call(t, async (c) => {
          await c.flushall();
          await c.set('marker', 'untouched');
        });
        const dep = await Deployment.open(t.spec);
        const result = await runRestore(dep, { file: backups[s]!, onConflict: 'replace', dryRun: false, confirmNonEmpty: () => Promise.resolve(true) }).then(
          (r) => r,
          (e: unknown) => e as Error,
        ).finally(() => dep.close());
        if (verdict.ok) {
          expect(result).toMatchObject({ ok: true });
          await call(t, async (c) => {
            await c.del('marker');
            expect(await fingerprint(c)).toEqual(fingerprints[s]);
            // Redis 7.0 formats doubles with 17 digits ("0.10000000000000001" in its listpacks and
            // replies), 7.2+ with the shortest ("0.1"): the same scores, but DEBUG DIGEST hashes the strings.
            if (source.name !== 'redis-7.0.15') expect((await c.call('DEBUG', 'DIGEST')) as string).toBe(digests[s]);
          });
        } else {
          expect(result).toMatchObject({ code: 'USAGE', exitCode: 3 });
          expect((result as Error).message).toMatch(/RDB version \d+/);
          // The target as its identity says (a Valkey by its own version, not its redis_version 7.2.4).
          expect((result as Error).message).toContain(describeServer(identityFromInfo(info)));
          await call(t, async (c) => expect(await c.keys('*')).toEqual(['marker']));
        }
      });
    }
  }
});
