import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffold } from '../../src/core/scaffold/scaffold.js';
import { buildInitialConfig, defaultAnswers } from '../../src/core/scaffold/model.js';
import { loadConfig } from '../../src/core/config/load.js';
import { contextFromConfig } from '../../src/core/lint/config-context.js';
import { discoverFiles } from '../../src/core/lint/discover.js';
import { lintFiles } from '../../src/core/lint/engine.js';

/** The cross-issue requirement: what `gridctl init` renders (production profile, every topology) passes check clean. */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('configs rendered by gridctl init pass gridctl check', () => {
  for (const topology of ['standalone', 'sentinel', 'cluster'] as const) {
    it(`${topology}, production: zero errors and zero warnings`, async () => {
      const outDir = await mkdtemp(path.join(os.tmpdir(), `gridctl-init-check-${topology}-`));
      dirs.push(outDir);
      const config = buildInitialConfig(defaultAnswers({ profile: 'production', topology }));
      await scaffold({ outDir, config, writeModel: true, dryRun: false, force: false, rotateSecrets: false });
      const loaded = await loadConfig(path.join(outDir, 'gridctl.yaml'), { required: true });
      const { ctx, overrides } = contextFromConfig(loaded);
      const { files } = discoverFiles([outDir]);
      expect(files.length).toBeGreaterThanOrEqual(2);
      const r = lintFiles(files, ctx, overrides);
      expect(r.files.some((f) => f.kind === 'acl')).toBe(true);
      if (topology === 'sentinel') expect(r.files.filter((f) => f.kind === 'sentinel' && !f.includedBy)).toHaveLength(3);
      expect(r.findings.filter((f) => f.severity !== 'info').map((f) => `${path.relative(outDir, f.file)}:${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);
    }, 60_000);
  }
});
