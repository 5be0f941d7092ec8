import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startScaffolded, assertRoles, assertTlsOnly, clientOptions, failure, type ScaffoldedDeployment } from './init-helpers.js';
import { sleep } from '../../src/core/local/process.js';

/**
 * `gridctl init` Sentinel (1 master, 2 replicas, 3 sentinels), production profile. TLS on: boot,
 * roles, TLS-only, the sentinels' own ACL, and a real failover with the app reconnecting through
 * Sentinel. TLS off: boot and roles (the same files minus TLS).
 */
describe('init sentinel (tls on) booted with up --from', () => {
  let d: ScaffoldedDeployment;
  beforeAll(async () => {
    d = await startScaffolded({ topology: 'sentinel', tls: true });
  });
  afterAll(async () => {
    await d?.stop();
  });
  const master = () => d.state.nodes.find((n) => n.role === 'master')!;
  const sentinels = () => d.state.nodes.filter((n) => n.role === 'sentinel');

  it('boots 3 data nodes and 3 sentinels that agree; roles and TLS as rendered', async () => {
    expect(d.state.nodes.map((n) => n.role).sort()).toEqual(['master', 'replica', 'replica', 'sentinel', 'sentinel', 'sentinel']);
    await assertRoles(d, master());
    await assertTlsOnly(d, master());
  });

  it('sentinels have their own ACL: the app may only discover the master', async () => {
    const s = await d.connect(sentinels()[0]!, 'app');
    try {
      const addr = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'gridtokenx')) as string[];
      expect(Number(addr[1])).toBe(master().port);
      expect(await failure(s.call('SENTINEL', 'SET', 'gridtokenx', 'down-after-milliseconds', '1000'))).toMatch(/NOPERM/);
      expect(await failure(s.call('SENTINEL', 'FAILOVER', 'gridtokenx'))).toMatch(/NOPERM/);
    } finally {
      s.disconnect();
    }
  });

  it('fails over when the master is killed, and the app reconnects through Sentinel', async () => {
    const m = (await d.tlsMaterial('app'))!;
    const pw = await d.password('app');
    const base = await clientOptions('app', pw, m);
    const tls = base.tls!;
    const app = new Redis({
      ...base,
      sentinels: sentinels().map((n) => ({ host: n.host, port: n.port })),
      name: 'gridtokenx',
      sentinelUsername: 'app',
      sentinelPassword: pw,
      enableTLSForSentinelMode: true,
      sentinelTLS: tls,
      // Reconnect (through the sentinels) after the master dies.
      retryStrategy: () => 200,
      sentinelRetryStrategy: () => 200,
      maxRetriesPerRequest: 1,
    });
    app.on('error', () => undefined);
    try {
      await app.connect();
      expect(await app.set('order:{failover}', 'before')).toBe('OK');
      const old = master();
      process.kill(old.pid, 'SIGKILL');
      const deadline = Date.now() + 45_000;
      const admin = await d.connect(sentinels()[1]!, 'admin');
      let promoted = '';
      try {
        while (Date.now() < deadline) {
          const addr = (await admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'gridtokenx')) as string[];
          if (Number(addr[1]) !== old.port) {
            promoted = addr.join(':');
            break;
          }
          await sleep(250);
        }
      } finally {
        admin.disconnect();
      }
      expect(promoted).not.toBe('');
      let wrote = '';
      while (Date.now() < deadline && wrote !== 'OK') {
        wrote = await app.set('order:{failover}', 'after').catch((e: Error) => e.message);
        if (wrote !== 'OK') await sleep(250);
      }
      expect(wrote).toBe('OK');
      expect(await app.get('order:{failover}')).toBe('after');
    } finally {
      app.disconnect();
    }
  });
});

describe('init sentinel (tls off) booted with up --from', () => {
  let d: ScaffoldedDeployment;
  beforeAll(async () => {
    d = await startScaffolded({ topology: 'sentinel', tls: false });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('boots and gives every role exactly its permissions', async () => {
    expect(d.state.nodes).toHaveLength(6);
    await assertRoles(d, d.state.nodes.find((n) => n.role === 'master')!);
  });
});
