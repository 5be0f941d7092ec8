import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScaffolded, type ScaffoldedDeployment } from '../helpers/redis.js';
import { assertRoles, assertTlsOnly } from '../helpers/scaffold-checks.js';
import { parseInfo } from '../../src/core/redis/info.js';

/**
 * `gridctl init` Cluster (3 masters, 3 replicas), production profile, TLS on and off: the rendered
 * node configs boot through `gridctl up --from`, the cluster reaches cluster_state:ok (over
 * tls-cluster with TLS), and every role has exactly its permissions through a cluster client.
 */
describe.each([true, false])('init cluster (tls %s) booted with up --from', (tls) => {
  let d: ScaffoldedDeployment;
  beforeAll(async () => {
    d = await startScaffolded({ topology: 'cluster', tls });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it(`reaches cluster_state:ok${tls ? ' over tls-cluster' : ''} on every node`, async () => {
    const data = d.state.nodes.filter((n) => n.role !== 'sentinel');
    expect(data).toHaveLength(6);
    for (const n of data) {
      const admin = await d.connect(n, 'admin');
      try {
        const info = parseInfo(String(await admin.call('CLUSTER', 'INFO')));
        expect(info.cluster_state).toBe('ok');
        expect(info.cluster_known_nodes).toBe('6');
        expect(await admin.call('CONFIG', 'GET', 'tls-cluster')).toEqual(['tls-cluster', tls ? 'yes' : 'no']);
        expect(await admin.call('CONFIG', 'GET', 'cluster-config-file')).toEqual(['cluster-config-file', `nodes-${n.name}.conf`]);
      } finally {
        admin.disconnect();
      }
    }
  });

  it('gives every role exactly its permissions (through a cluster client)', async () => {
    await assertRoles(d, d.state.nodes.find((n) => n.role === 'master')!);
  });

  it.runIf(tls)('is TLS-only with mutual TLS and no TLSv1.1', async () => {
    await assertTlsOnly(d, d.state.nodes.find((n) => n.role === 'replica')!);
  });
});
