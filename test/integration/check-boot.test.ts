import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/core/lint/engine.js';
import { defaultContext } from '../../src/core/lint/context.js';
import { bootFiles } from '../../src/core/lint/boot.js';
import type { BootResult } from '../../src/core/lint/report.js';
import { testServer } from '../helpers/servers.js';

/**
 * Boot truth: real-world lines the real redis-server 7.0.15 refuses (or accepts). For each refusal
 * `check` must report an error from the expected rule, and `--boot` (bootFiles) must confirm it in
 * Redis' words, mapped back to the same file:line Redis names; a file Redis accepts must boot and
 * get no refusal from check.
 */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/lint/boot');
/**
 * Each fixture: the rule check must report at `line` and the refusal redis-server gives (`reason`,
 * at `bootAt`, default `line`; null when Redis names no line), or `boots` for a file Redis accepts.
 */
interface Expectation { rule?: string; line?: number | null; bootAt?: number | null; reason?: string; boots?: boolean }
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, Expectation>;
const entries = Object.entries(manifest);
const kindOf = (f: string) => (f.endsWith('.acl') ? 'acl' : f.startsWith('sentinel') ? 'sentinel' : 'redis') as 'acl' | 'sentinel' | 'redis';
/** Errors that mean "Redis will not start" (the hardening rules may still warn or err on a file that boots). */
const REFUSAL_RULES = /^(CFG00[1-9]|VER001|AUTH003|AUTH011|AUTH013|AUTH014|NET005|REP006|SEN003|SEN011|TLS007)$/;

const valkey = testServer('valkey-8.0.1');
let boots: BootResult[] = [];
let realData: string;
let okConf: string;

beforeAll(async () => {
  // A valid config whose `dir` is a directory that must stay untouched (cluster mode writes nodes.conf at start-up).
  realData = await mkdtemp(path.join(os.tmpdir(), 'gridctl-realdata-'));
  okConf = path.join(realData, '..', `${path.basename(realData)}-ok.conf`);
  await writeFile(okConf, `bind 127.0.0.1\nport 6379\ncluster-enabled yes\ndir ${realData}\nappendonly yes\n`);
  boots = await bootFiles([...entries.map(([f]) => ({ file: path.join(dir, f), kind: kindOf(f) })), { file: okConf, kind: 'redis' }]);
}, 120_000);

afterAll(async () => {
  await rm(realData, { recursive: true, force: true });
  await rm(okConf, { force: true });
});

describe('boot truth (real redis-server)', () => {
  for (const [file, want] of entries.filter(([, w]) => !w.boots)) {
    it(`${file}: check reports ${want.rule}, --boot confirms the refusal`, () => {
      const r = lintFiles([path.join(dir, file)], defaultContext());
      const hit = r.findings.find((f) => f.ruleId === want.rule && f.severity === 'error');
      expect(hit, `${want.rule} not reported; got ${r.findings.map((f) => f.ruleId).join(',')}`).toBeDefined();
      const boot = boots.find((b) => b.file === path.join(dir, file))!;
      expect(boot.booted, `${file} booted but should be refused`).toBe(false);
      expect(boot.reason).toBeTruthy();
      if (want.reason) expect(boot.reason).toMatch(new RegExp(want.reason));
      if (want.line != null) expect(hit!.line).toBe(want.line);
      const bootAt = want.bootAt === undefined ? want.line : want.bootAt;
      if (bootAt != null) {
        expect(boot.at?.line).toBe(bootAt);
        expect(boot.at?.file).toBe(path.join(dir, file));
      }
    });
  }

  for (const [file] of entries.filter(([, w]) => w.boots)) {
    it(`${file}: redis-server boots it, and check reports no refusal`, () => {
      const r = lintFiles([path.join(dir, file)], defaultContext());
      expect(r.findings.filter((f) => f.severity === 'error' && REFUSAL_RULES.test(f.ruleId)).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
      const boot = boots.find((b) => b.file === path.join(dir, file))!;
      expect(boot.booted, boot.reason).toBe(true);
    });
  }

  it('a valid config boots, and its real dir is never touched', async () => {
    const boot = boots.find((b) => b.file === okConf)!;
    expect(boot.booted, boot.reason).toBe(true);
    expect(boot.version).toMatch(/^7\./);
    expect(await readdir(realData)).toEqual([]);
  });

  const valkeyFiles = ['sentinel-valkey-primary.conf', 'sentinel-valkey-acl.conf'].map((f) => path.join(dir, f));

  it('Valkey 8 spellings in a sentinel.conf (options, SENTINEL PRIMARY in ACL rules): refused by 7.0 and said so, accepted under --redis-version valkey-8', () => {
    for (const file of valkeyFiles) {
      const at70 = lintFiles([file], defaultContext()).findings.filter((f) => f.severity === 'error');
      expect(at70.map((f) => f.message).join(' | '), file).toMatch(/only from Valkey 8/);
      const atValkey = lintFiles([file], defaultContext({ version: 'valkey-8' })).findings;
      expect(atValkey.filter((f) => f.severity === 'error' && REFUSAL_RULES.test(f.ruleId)).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    }
  });

  it.skipIf(!valkey)('valkey-server 8.0 boots those sentinel.conf files (GRIDCTL_TEST_SERVERS valkey-8.0.1=...)', async () => {
    const results = await bootFiles(valkeyFiles.map((file) => ({ file, kind: 'sentinel' as const })), { redisServer: valkey! });
    for (const boot of results) {
      expect(boot.booted, `${boot.file}: ${boot.reason}`).toBe(true);
      expect(boot.version).toMatch(/^8\./);
    }
  }, 60_000);

  it.skipIf(!existsSync('/etc/redis/redis.conf'))('the Debian stock redis.conf and sentinel.conf boot', async () => {
    const r = await bootFiles([{ file: '/etc/redis/redis.conf', kind: 'redis' }, { file: '/etc/redis/sentinel.conf', kind: 'sentinel' }]);
    expect(r.map((b) => [b.booted, b.reason])).toEqual([[true, undefined], [true, undefined]]);
  }, 30_000);
});
