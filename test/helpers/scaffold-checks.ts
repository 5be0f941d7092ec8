import net from 'node:net';
import tls from 'node:tls';
import { expect } from 'vitest';
import { Redis, Cluster } from 'ioredis';
import { clientOptions, type ScaffoldedDeployment } from './redis.js';
import type { LocalNode } from '../../src/core/local/state.js';
import type { Role } from '../../src/core/config/schema-deployment.js';

/* What a deployment `gridctl init` scaffolded must refuse and allow: the ACL roles and TLS. */

/** The error text of a command that must fail, or '' when it succeeded (so expect() shows what happened). */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The role matrix on one data node (a master): default cannot log in; the app works in its
 * namespaces and gets NOPERM for FLUSHALL, CONFIG, DEBUG, KEYS and foreign keys; monitor can INFO
 * but not CONFIG GET; backup can SCAN/DUMP/PTTL and cannot write.
 */
export async function assertRoles(d: ScaffoldedDeployment, master: LocalNode): Promise<void> {
  // default: off, so without AUTH nothing runs (NOAUTH) and no password logs in as default,
  // not even another user's (WRONGPASS).
  const anonymous = new Redis({ ...(await clientOptions('', '', await d.tlsMaterial('app'))), username: undefined, password: undefined, host: master.host, port: master.port });
  anonymous.on('error', () => undefined);
  try {
    await anonymous.connect();
    expect(await failure(anonymous.ping())).toMatch(/NOAUTH/);
    expect(await failure(anonymous.call('AUTH', 'default', 'not-the-password'))).toMatch(/WRONGPASS/);
    expect(await failure(anonymous.call('AUTH', 'default', await d.password('admin')))).toMatch(/WRONGPASS/);
    expect(await failure(anonymous.call('AUTH', await d.password('admin')))).toMatch(/WRONGPASS/);
    expect(await failure(anonymous.ping())).toMatch(/NOAUTH/);
  } finally {
    anonymous.disconnect();
  }
  const isCluster = d.state.topology === 'cluster';
  const open = (role: Role): Promise<Redis | Cluster> => (isCluster ? d.cluster(role) : d.connect(master, role));

  const app = await open('app');
  try {
    expect(await app.set('order:{t1}', '{"id":"t1"}', 'EX', 60)).toBe('OK');
    expect(await app.get('order:{t1}')).toBe('{"id":"t1"}');
    expect(await app.zadd('orderbook:buy', 0.15, '{"id":"o1"}')).toBe(1);
    expect(await app.xadd('stream:trades', '*', 'id', 't1')).toMatch(/^\d+-\d+$/);
    expect(typeof (await app.publish('market:events', 'hello'))).toBe('number');
    expect(await app.set('lock:order_matching:{t1}', 'tok', 'PX', 5000, 'NX')).toBe('OK');
    expect(await failure(app.flushall())).toMatch(/NOPERM/);
    expect(await failure(app.call('CONFIG', 'GET', 'maxmemory'))).toMatch(/NOPERM/);
    // enable-debug-command no answers first; the ACL denies it too (ACL DRYRUN below).
    expect(await failure(app.call('DEBUG', 'SLEEP', '0'))).toMatch(/NOPERM|not allowed/);
    expect(await failure(app.keys('*'))).toMatch(/NOPERM/);
    expect(await failure(app.set('secret:{t1}', 'x'))).toMatch(/NOPERM/);
    expect(await failure(app.publish('internal:admin', 'x'))).toMatch(/NOPERM/);
  } finally {
    app.disconnect();
  }

  const admin = await d.connect(master, 'admin');
  try {
    for (const cmd of [['DEBUG', 'SLEEP', '0'], ['FLUSHALL'], ['CONFIG', 'GET', 'maxmemory'], ['KEYS', '*']]) {
      expect(String(await admin.call('ACL', 'DRYRUN', 'app', ...cmd))).toMatch(/no permissions/);
    }
    expect(String(await admin.call('ACL', 'DRYRUN', 'app', 'SET', 'order:{t2}', 'x'))).toBe('OK');
  } finally {
    admin.disconnect();
  }

  const monitor = await d.connect(master, 'monitor');
  try {
    expect(await monitor.info('server')).toMatch(/redis_version:/);
    expect(await failure(monitor.call('CONFIG', 'GET', 'masterauth'))).toMatch(/NOPERM/);
    expect(await failure(monitor.call('GET', 'order:{t1}'))).toMatch(/NOPERM/);
  } finally {
    monitor.disconnect();
  }

  const backup = await open('backup');
  try {
    const scanners = backup instanceof Cluster ? backup.nodes('master') : [backup];
    const keys: string[] = [];
    for (const n of scanners) keys.push(...((await n.scan('0', 'COUNT', 1000)) as [string, string[]])[1]);
    expect(keys).toContain('order:{t1}');
    expect(await backup.dumpBuffer('order:{t1}')).toBeInstanceOf(Buffer);
    expect(await backup.pttl('order:{t1}')).toBeGreaterThan(0);
    expect(await failure(backup.set('order:{t1}', 'x'))).toMatch(/NOPERM/);
    expect(await failure(backup.del('order:{t1}'))).toMatch(/NOPERM/);
  } finally {
    backup.disconnect();
  }
}

/**
 * TLS-only nodes: the port that would be plaintext is 0 (checked as admin), a plaintext client on
 * the TLS port gets no Redis reply, a client without a certificate is refused (mutual TLS), and a
 * TLSv1.1 client is refused while TLSv1.2 with the same options is accepted.
 */
export async function assertTlsOnly(d: ScaffoldedDeployment, node: LocalNode): Promise<void> {
  const admin = await d.connect(node, 'admin');
  try {
    expect(await admin.call('CONFIG', 'GET', 'port')).toEqual(['port', '0']);
    expect(await admin.call('CONFIG', 'GET', 'tls-protocols')).toEqual(['tls-protocols', 'TLSv1.2 TLSv1.3']);
  } finally {
    admin.disconnect();
  }
  expect(await plaintextPing(node.port)).toBe(false);
  const m = (await d.tlsMaterial('app'))!;
  expect(await handshake(node.port, { ca: m.ca, cert: m.cert, key: m.key, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('ok');
  const old = await handshake(node.port, { ca: m.ca, cert: m.cert, key: m.key, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
  expect(old).not.toBe('ok');
  // The server answers with alert 70 (protocol_version): refused by Redis, not by our client.
  expect(old).toMatch(/ALERT_PROTOCOL_VERSION|alert protocol version/i);
  const noCert = await new Promise<string>((resolve) => {
    const s = tls.connect({ host: node.host, port: node.port, ca: m.ca, servername: 'localhost' }, () => {
      s.write('PING\r\n');
    });
    s.once('data', (b) => (resolve(b.toString()), s.destroy()));
    s.once('error', (e) => resolve(e.message));
    s.once('close', () => resolve('closed'));
    s.setTimeout(3000, () => (resolve('timeout'), s.destroy()));
  });
  expect(noCert).not.toMatch(/PONG|NOAUTH/);
}

function plaintextPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('PING\r\n'));
    s.once('data', (b) => (resolve(/PONG|NOAUTH|ERR/.test(b.toString())), s.destroy()));
    s.once('error', () => resolve(false));
    s.once('close', () => resolve(false));
    s.setTimeout(2000, () => (resolve(false), s.destroy()));
  });
}

function handshake(port: number, o: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...o }, () => (resolve('ok'), s.destroy()));
    s.once('error', (e) => resolve(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`));
    s.setTimeout(3000, () => (resolve('timeout'), s.destroy()));
  });
}
