import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { scaffold } from '../../src/core/scaffold/scaffold.js';
import { loadConfig } from '../../src/core/config/load.js';
import { startScaffolded, type ScaffoldedDeployment } from '../helpers/redis.js';
import { assertRoles, assertTlsOnly } from '../helpers/scaffold-checks.js';

/**
 * `gridctl init` standalone, production profile, TLS on and off: the rendered files boot through
 * `gridctl up --from`, every role has exactly its permissions, and TLS is TLS-only and mutual.
 */
describe.each([true, false])('init standalone (tls %s) booted with up --from', (tls) => {
  let d: ScaffoldedDeployment;
  beforeAll(async () => {
    d = await startScaffolded({ topology: 'standalone', tls });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('boots the rendered config as rendered (overlay only for loopback, ports, paths)', async () => {
    expect(d.state.nodes).toHaveLength(1);
    const admin = await d.connect(d.state.nodes[0]!, 'admin');
    try {
      expect(await admin.call('CONFIG', 'GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
      expect(await admin.call('CONFIG', 'GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await admin.call('CONFIG', 'GET', 'enable-debug-command')).toEqual(['enable-debug-command', 'no']);
      expect(String(await admin.call('ACL', 'WHOAMI'))).toBe('admin');
    } finally {
      admin.disconnect();
    }
  });

  it('gives every role exactly its permissions', async () => {
    await assertRoles(d, d.state.nodes[0]!);
  });

  it.runIf(tls)('is TLS-only with mutual TLS and no TLSv1.1', async () => {
    await assertTlsOnly(d, d.state.nodes[0]!);
  });

  it('re-renders idempotently after running (nothing to write, secrets kept, 0600)', async () => {
    const { config } = await loadConfig(path.join(d.outDir, 'gridctl.yaml'), { required: true });
    const again = await scaffold({ outDir: d.outDir, config, writeModel: false, dryRun: false, force: false, rotateSecrets: false });
    expect(again.plan.summary).toMatchObject({ create: 0, overwrite: 0, blocked: 0 });
    expect((await stat(path.join(d.outDir, 'secrets', 'app.env'))).mode & 0o777).toBe(0o600);
  });
});
