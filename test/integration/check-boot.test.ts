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

/**
 * Boot truth: configs the real redis-server 7.0.15 refuses. For each one `check` must report an
 * error from the expected rule, and `--boot` (bootFiles) must confirm the refusal, mapped back to
 * the same file:line Redis names.
 */
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/lint/boot');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, { rule: string; line: number | null }>;
const entries = Object.entries(manifest);
const kindOf = (f: string) => (f.endsWith('.acl') ? 'acl' : f.startsWith('sentinel') ? 'sentinel' : 'redis') as 'acl' | 'sentinel' | 'redis';

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
  for (const [file, want] of entries) {
    it(`${file}: check reports ${want.rule}, --boot confirms the refusal`, () => {
      const r = lintFiles([path.join(dir, file)], defaultContext());
      const hit = r.findings.find((f) => f.ruleId === want.rule && f.severity === 'error');
      expect(hit, `${want.rule} not reported; got ${r.findings.map((f) => f.ruleId).join(',')}`).toBeDefined();
      const boot = boots.find((b) => b.file === path.join(dir, file))!;
      expect(boot.booted, `${file} booted but should be refused`).toBe(false);
      expect(boot.reason).toBeTruthy();
      if (want.line !== null) {
        expect(hit!.line).toBe(want.line);
        expect(boot.at?.line).toBe(want.line);
        expect(boot.at?.file).toBe(path.join(dir, file));
      }
    });
  }

  it('a valid config boots, and its real dir is never touched', async () => {
    const boot = boots.find((b) => b.file === okConf)!;
    expect(boot.booted, boot.reason).toBe(true);
    expect(boot.version).toMatch(/^7\./);
    expect(await readdir(realData)).toEqual([]);
  });

  it.skipIf(!existsSync('/etc/redis/redis.conf'))('the Debian stock redis.conf and sentinel.conf boot', async () => {
    const r = await bootFiles([{ file: '/etc/redis/redis.conf', kind: 'redis' }, { file: '/etc/redis/sentinel.conf', kind: 'sentinel' }]);
    expect(r.map((b) => [b.booted, b.reason])).toEqual([[true, undefined], [true, undefined]]);
  }, 30_000);
});
