import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { closeDumpConnections, dumpNode, openDumpConnections, type DumpPage } from '../../src/core/backup/logical-dumper.js';
import { Deployment } from '../../src/core/redis/deployment.js';
import { runLogicalBackup } from '../../src/core/backup/backup.js';
import { runRdbBackup } from '../../src/core/backup/rdb-backup.js';
import { DEFAULT_NAMESPACES } from '../../src/core/config/defaults.js';
import { stopProcess } from '../../src/core/local/process.js';
import { forEachRecord } from '../../src/core/backup/record-codec.js';
import { maskSecrets } from '../../src/core/mask.js';

interface Seen {
  key: string;
  type: number;
  expireAt: number;
}

/** Every record of every page, decoded back from the bytes the writer would get. */
function collect(pages: Seen[][]) {
  return (page: DumpPage): Promise<void> => {
    const raw = Buffer.alloc(page.bytes);
    page.encodeInto(raw, 0);
    const seen: Seen[] = [];
    forEachRecord(raw, 0, (r) => seen.push({ key: r.key.toString('latin1'), type: r.type, expireAt: r.expireAt }));
    expect(seen.map((s) => s.key)).toEqual(Array.from({ length: page.count }, (_, i) => page.keyString(i)));
    pages.push(seen);
    return Promise.resolve();
  };
}

describe('the pipelined logical dump (SCAN + PEXPIRETIME + DUMP parsed from the socket bytes)', () => {
  let t: TestDeployment;
  let dir: string;

  beforeAll(async () => {
    t = await startDeployment({ topology: 'standalone', acl: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-dumper-'));
    const c = await t.client();
    const p = c.pipeline();
    for (let i = 0; i < 6000; i++) p.set(`user:session:${i}`, `{"user_id":"${i}"}`);
    for (let i = 0; i < 500; i++) p.hset(`order:${i}`, 'data', `{"id":"${i}"}`);
    p.set(Buffer.from('bin:\r\n\x00\xff*2\r\n$4', 'latin1'), Buffer.from([0x24, 0x2d, 0x31, 0x0d, 0x0a]));
    p.set('big:value', Buffer.alloc(2 * 1024 * 1024 + 7, 0x2a));
    p.set('ttl:key', 'x');
    p.pexpireat('ttl:key', 4102444800123);
    await p.exec();
    c.disconnect();
  });
  afterAll(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns every key exactly once over many pages, with its type and absolute expiry, binary names and a 2 MB value included', async () => {
    const conn = await openDumpConnections(t.spec, t.state.nodes[0]!, { name: 'gridctl-test' });
    const pages: Seen[][] = [];
    try {
      const r = await dumpNode(conn, { serverVersion: '7.0.15', targetBatchMs: 0.5, onPage: collect(pages) });
      expect(r.keys).toBe(6503);
      expect(r.pages).toBeGreaterThan(5);
    } finally {
      closeDumpConnections(conn);
    }
    const all = pages.flat();
    expect(all).toHaveLength(6503);
    expect(new Set(all.map((s) => s.key)).size).toBe(6503);
    const byKey = new Map(all.map((s) => [s.key, s]));
    expect(byKey.get('ttl:key')).toEqual({ key: 'ttl:key', type: 0, expireAt: 4102444800123 });
    expect(byKey.get('user:session:17')).toEqual({ key: 'user:session:17', type: 0, expireAt: -1 });
    expect(byKey.get('order:3')?.type).toBe(4);
    expect(byKey.get('bin:\r\n\x00\xff*2\r\n$4')?.type).toBe(0);
    expect(byKey.has('big:value')).toBe(true);
  });

  it('the legacy path (Redis < 7: PTTL) makes expiries absolute from the local clock', async () => {
    const conn = await openDumpConnections(t.spec, t.state.nodes[0]!);
    const pages: Seen[][] = [];
    const before = Date.now();
    try {
      await dumpNode(conn, { serverVersion: '6.2.14', match: 'ttl:*', onPage: collect(pages) });
    } finally {
      closeDumpConnections(conn);
    }
    const [ttl] = pages.flat();
    // PTTL is relative; the absolute time is rebuilt from the moment the page was sent.
    expect(Math.abs(ttl!.expireAt - 4102444800123)).toBeLessThan(Date.now() - before + 50);
  });

  it('over a slow link (a proxy delaying every chunk 5 ms each way) pages grow to cover the round trip, and every key comes once', async () => {
    const target = t.state.nodes[0]!;
    const proxy = net.createServer((client) => {
      const server = net.connect(target.port, '127.0.0.1');
      client.on('data', (d) => setTimeout(() => server.write(d), 5));
      server.on('data', (d) => setTimeout(() => client.write(d), 5));
      client.on('close', () => server.destroy());
      server.on('close', () => client.destroy());
      client.on('error', () => undefined);
      server.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const via = { host: '127.0.0.1', port: (proxy.address() as net.AddressInfo).port };
    const conn = await openDumpConnections({ ...t.spec, nodes: [via] }, via);
    const pages: Seen[][] = [];
    try {
      const r = await dumpNode(conn, { serverVersion: '7.0.15', onPage: collect(pages) });
      expect(r.keys).toBe(6503);
      // Paced by page completions alone, pages shrank to 16 keys over such a link (~400 pages here).
      expect(r.pages).toBeLessThan(60);
    } finally {
      closeDumpConnections(conn);
      proxy.close();
    }
    expect(new Set(pages.flat().map((s) => s.key)).size).toBe(6503);
  });

  it('--match backs up only the matching keys', async () => {
    const conn = await openDumpConnections(t.spec, t.state.nodes[0]!);
    const pages: Seen[][] = [];
    try {
      const r = await dumpNode(conn, { serverVersion: '7.0.15', match: 'order:*', onPage: collect(pages) });
      expect(r.keys).toBe(500);
    } finally {
      closeDumpConnections(conn);
    }
    expect(pages.flat().every((s) => s.key.startsWith('order:'))).toBe(true);
  });

  it('a standalone node read directly (no ioredis): no password -> "requires authentication", a wrong one -> "authentication failed", exit 4, both modes, nothing written', async () => {
    const noDeployment = () => Promise.reject(new Error('a standalone node read directly needs no discovery'));
    for (const [auth, said] of [
      [{}, /127\.0\.0\.1:\d+ requires authentication/],
      [{ username: 'admin', password: 'not-it' }, /authentication failed at 127\.0\.0\.1:\d+ for user "admin"/],
    ] as const) {
      const spec = { ...t.spec, auth };
      const out = path.join(dir, `refused-${Object.keys(auth).length}`);
      for (const run of [
        () => runLogicalBackup(spec, noDeployment, { dir: out, mode: 'logical', namespaces: DEFAULT_NAMESPACES }),
        () => runRdbBackup(spec, noDeployment, { dir: out }),
      ]) {
        const err = await run().then(() => undefined, (e: unknown) => e as { exitCode: number; message: string; hint?: string });
        expect(err).toMatchObject({ exitCode: 4 });
        expect(err!.message).toMatch(said);
        // The hint names where a password goes in words the output's secret masking leaves alone.
        expect(err!.hint ?? '').not.toMatch(/\/\/[^ ]*:[^ ]*@/);
        expect(maskSecrets(err!.hint ?? '')).toBe(err!.hint ?? '');
      }
      expect((await readdir(out)).filter((n) => !n.startsWith('.gridctl-backup.lock'))).toEqual([]);
    }
  });

  it('the server dying mid-backup: exit 5, and no archive or temporary file is left', async () => {
    const dep = await Deployment.open(t.spec);
    const out = path.join(dir, 'dies');
    // --max-rate stretches the 6503 keys over ~3 s so the server is stopped while the dump runs.
    const running = runLogicalBackup(dep.spec, async () => dep, { dir: out, mode: 'logical', namespaces: DEFAULT_NAMESPACES, maxRate: 2000 }).then(() => undefined, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 800));
    await stopProcess(t.state.nodes[0]!.pid);
    const err = await running;
    await dep.close().catch(() => undefined);
    expect(err).toMatchObject({ exitCode: 5 });
    expect(await readdir(out)).toEqual([]); // the lock is released too
  });
});
