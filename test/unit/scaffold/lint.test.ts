import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scaffold } from '../../../src/core/scaffold/scaffold.js';
import { buildInitialConfig, defaultAnswers } from '../../../src/core/scaffold/model.js';
import { loadConfig } from '../../../src/core/config/load.js';
import { lintFiles } from '../../../src/core/lint/engine.js';
import { contextFromConfig } from '../../../src/core/lint/config-context.js';
import { SERVER_VERSIONS } from '../../../src/core/config/server-versions.js';

/**
 * What init renders passes `gridctl check` (src/core/lint) with zero errors and zero warnings:
 * every topology in the production profile (TLS on and off), and every target version. The files
 * are checked as CI would check them in the repository: the checker maps paths.config (where they
 * are installed) onto the folder of gridctl.yaml.
 */
let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'gridctl-init-lint-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function problemsOf(answers: Parameters<typeof defaultAnswers>[0], label: string): Promise<string[]> {
  const out = path.join(base, label);
  await scaffold({ outDir: out, config: buildInitialConfig(defaultAnswers(answers)), writeModel: true, dryRun: false, force: false, rotateSecrets: false });
  const loaded = await loadConfig(path.join(out, 'gridctl.yaml'), { required: true });
  const { ctx, overrides } = contextFromConfig(loaded);
  const files = [path.join(out, 'users.acl')];
  for (const d of ['redis', 'sentinel']) if (existsSync(path.join(out, d))) for (const f of await readdir(path.join(out, d))) files.push(path.join(out, d, f));
  const result = lintFiles(files, ctx, overrides);
  expect(result.files.length).toBe(files.length);
  return result.findings
    .filter((f) => f.severity === 'error' || f.severity === 'warn')
    .map((f) => `${f.severity} ${f.ruleId} ${path.relative(out, f.file)}:${f.line} ${f.message}`);
}

describe('gridctl check on init output (production profile)', () => {
  it.each([
    ['standalone', true],
    ['sentinel', true],
    ['cluster', true],
    ['standalone', false],
    ['sentinel', false],
    ['cluster', false],
  ] as const)('%s, tls %s: zero errors, zero warnings', async (topology, tls) => {
    expect(await problemsOf({ topology, tls, profile: 'production' }, `${topology}-${tls}`)).toEqual([]);
  });

  it.each(SERVER_VERSIONS.filter((v) => v !== '7.0'))('sentinel for server %s: zero errors, zero warnings', async (version) => {
    expect(await problemsOf({ topology: 'sentinel', version, profile: 'production' }, `sentinel-${version}`)).toEqual([]);
  });
});
