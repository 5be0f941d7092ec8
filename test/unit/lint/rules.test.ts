import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintFiles } from '../../../src/core/lint/engine.js';
import { FILE_RULES } from '../../../src/core/lint/catalog.js';
import { contextFromConfig } from '../../../src/core/lint/config-context.js';
import { parseConfigText } from '../../../src/core/config/load.js';
import { loadFixtureCases, makeTestPki, materialise } from './fixture-cases.js';

const cases = loadFixtureCases();
let pki: string | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  if (cases.some((c) => c.certs)) pki = await makeTestPki();
}, 60_000);
afterAll(async () => {
  for (const d of [...dirs, ...(pki ? [pki] : [])]) await rm(d, { recursive: true, force: true });
});

describe('rule fixtures', () => {
  it('every error and warn rule has a failing and a passing fixture', () => {
    const missing: string[] = [];
    for (const r of FILE_RULES) {
      for (const expectWhat of ['fail', 'pass'] as const) if (!cases.some((c) => c.ruleId === r.id && c.expect === expectWhat)) missing.push(`${r.id} ${expectWhat}`);
    }
    expect(missing).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.ruleId} ${c.expect} (${c.source})`, async () => {
      const dir = await materialise(c, pki);
      dirs.push(dir);
      const yaml = c.files.find((f) => f.name === 'gridctl.yaml');
      const loaded = yaml ? { path: path.join(dir, 'gridctl.yaml'), config: parseConfigText(yaml.text, 'gridctl.yaml') } : { path: undefined, config: {} };
      const { ctx, overrides } = contextFromConfig(loaded, c.now ? { now: c.now } : {});
      const files = c.files.filter((f) => f.name !== 'gridctl.yaml').map((f) => path.join(dir, f.name));
      const result = lintFiles(files, ctx, overrides);
      const hits = result.findings.filter((f) => f.ruleId === c.ruleId);
      if (c.expect === 'fail') {
        expect(hits.length, `${c.ruleId} should report; got ${result.findings.map((f) => f.ruleId).join(',')}`).toBeGreaterThan(0);
        expect(hits[0]!.file.startsWith(dir)).toBe(true);
      } else {
        expect(hits.map((h) => `${h.ruleId} ${h.message}`)).toEqual([]);
      }
    });
  }
});
