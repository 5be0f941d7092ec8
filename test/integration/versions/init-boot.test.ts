import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffold } from '../../../src/core/scaffold/scaffold.js';
import { buildInitialConfig, defaultAnswers } from '../../../src/core/scaffold/model.js';
import { loadConfig } from '../../../src/core/config/load.js';
import { contextFromConfig } from '../../../src/core/lint/config-context.js';
import { discoverFiles } from '../../../src/core/lint/discover.js';
import { lintFiles } from '../../../src/core/lint/engine.js';
import { bootFiles } from '../../../src/core/lint/boot.js';
import { SERVER_VERSIONS } from '../../../src/core/config/server-versions.js';
import { serverVersionChoice, testServers } from '../../helpers/servers.js';

/**
 * `init --server-version X` renders what X accepts: on every server of GRIDCTL_TEST_SERVERS, the
 * files rendered for its version pass `check` and boot on that very binary (`check --boot`).
 */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

for (const server of testServers()) {
  const version = serverVersionChoice(server, SERVER_VERSIONS);
  describe.skipIf(!version)(`${server.name}: init --server-version ${version ?? '(none)'} -> check --boot`, () => {
    for (const topology of ['standalone', 'sentinel', 'cluster'] as const) {
      it(`${topology}, production profile: no check error, every file boots`, async () => {
        const outDir = await mkdtemp(path.join(os.tmpdir(), `gridctl-versions-init-${topology}-`));
        dirs.push(outDir);
        // Rendered for this folder (paths.config), so the aclfile and the TLS files are where the configs point.
        const config = { ...buildInitialConfig(defaultAnswers({ profile: 'production', topology, version: version! })), paths: { config: outDir, data: path.join(outDir, 'data') } };
        await scaffold({ outDir, config, writeModel: true, dryRun: false, force: false, rotateSecrets: false });
        const { ctx, overrides } = contextFromConfig(await loadConfig(path.join(outDir, 'gridctl.yaml'), { required: true }));
        const r = lintFiles(discoverFiles([outDir]).files, ctx, overrides);
        expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
        const boots = await bootFiles(r.files.filter((f) => f.kind !== 'acl' && !f.includedBy), { redisServer: server.server });
        expect(boots.length).toBeGreaterThan(0);
        expect(boots.filter((b) => !b.booted).map((b) => `${path.relative(outDir, b.file)}: ${b.reason ?? b.skipped}`)).toEqual([]);
        expect(boots.every((b) => b.binary === server.server)).toBe(true);
      }, 120_000);
    }
  });
}
