import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scaffold, type ScaffoldOptions } from '../../../src/core/scaffold/scaffold.js';
import { buildInitialConfig, defaultAnswers } from '../../../src/core/scaffold/model.js';
import { parseConfigText } from '../../../src/core/config/load.js';
import { passwordHash } from '../../../src/core/scaffold/acl.js';

/** The write side of init on a real directory (openssl for TLS; no Redis needed). */
describe('scaffold on disk (sentinel, production, TLS)', () => {
  let dir: string;
  const config = buildInitialConfig(defaultAnswers({ topology: 'sentinel' }));
  const run = (o: Partial<ScaffoldOptions> = {}) => scaffold({ outDir: dir, config, writeModel: true, dryRun: false, force: false, rotateSecrets: false, ...o });
  const mode = async (p: string) => (await stat(path.join(dir, p))).mode & 0o777;
  const secretOf = async (role: string) => /^REDIS_PASSWORD=(.*)$/m.exec(await readFile(path.join(dir, 'secrets', `${role}.env`), 'utf8'))![1]!;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-scaffold-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--dry-run plans every file and writes nothing', async () => {
    const r = await run({ dryRun: true });
    expect(r.plan.summary.create).toBeGreaterThan(40);
    expect(r.plan.entries.every((e) => e.action === 'create')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes secrets and keys 0600 in a git-ignored folder, hashes in users.acl', async () => {
    const r = await run();
    expect(r.plan.summary).toMatchObject({ overwrite: 0, unchanged: 0, blocked: 0 });
    for (const f of await readdir(path.join(dir, 'secrets'))) expect(await mode(`secrets/${f}`), f).toBe(0o600);
    expect(await mode('secrets')).toBe(0o700);
    for (const f of (await readdir(path.join(dir, 'tls'))).filter((x) => x.endsWith('.key'))) expect(await mode(`tls/${f}`), f).toBe(0o600);
    const gitignore = await readFile(path.join(dir, '.gitignore'), 'utf8');
    expect(gitignore).toMatch(/^secrets\/$/m);
    expect(gitignore).toMatch(/^tls\/\*\.key$/m);
    const app = await secretOf('app');
    expect(app).toMatch(/^[0-9a-f]{64}$/);
    const acl = await readFile(path.join(dir, 'users.acl'), 'utf8');
    expect(acl).toContain(`#${passwordHash(app)}`);
    expect(acl).not.toContain(app);
  });

  it('gridctl.yaml carries the schema line and round-trips through the loader', async () => {
    const text = await readFile(path.join(dir, 'gridctl.yaml'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/gridctl\.schema\.json$/);
    const loaded = parseConfigText(text, 'gridctl.yaml');
    expect(loaded.topology?.kind).toBe('sentinel');
    expect(loaded.targets?.production?.passwordFile).toBe('secrets/monitor.env');
  });

  it('server certificates name every host and IP clients use; app has a client certificate', async () => {
    const cert = new X509Certificate(await readFile(path.join(dir, 'tls', 'redis-2.crt')));
    expect(cert.subjectAltName).toContain('IP Address:10.0.0.12');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    const ca = new X509Certificate(await readFile(path.join(dir, 'tls', 'ca.crt')));
    expect(cert.checkIssued(ca)).toBe(true);
    const app = new X509Certificate(await readFile(path.join(dir, 'tls', 'app.crt')));
    expect(app.keyUsage ?? []).toContain('1.3.6.1.5.5.7.3.2');
  });

  it('re-running is idempotent: byte-identical files, secrets and certificates kept', async () => {
    const before = await readFile(path.join(dir, 'users.acl'));
    const cert = await readFile(path.join(dir, 'tls', 'redis-1.crt'));
    const r = await run();
    expect(r.plan.summary).toMatchObject({ create: 0, overwrite: 0, blocked: 0 });
    expect((await readFile(path.join(dir, 'users.acl'))).equals(before)).toBe(true);
    expect((await readFile(path.join(dir, 'tls', 'redis-1.crt'))).equals(cert)).toBe(true);
    const again = await scaffold({ outDir: dir, config, writeModel: false, dryRun: false, force: false, rotateSecrets: false });
    expect(again.plan.summary).toMatchObject({ create: 0, overwrite: 0 });
  });

  it('a model change overwrites what gridctl wrote; a hand edit is blocked without --force', async () => {
    const changed = { ...config, memory: { maxmemory: '2gb', policy: 'noeviction' as const } };
    const r = await scaffold({ outDir: dir, config: changed, writeModel: false, dryRun: false, force: false, rotateSecrets: false });
    expect(r.plan.entries.find((e) => e.path === 'redis/redis-1.conf')).toMatchObject({ action: 'overwrite', reason: 'gridctl.yaml changed' });
    expect(await readFile(path.join(dir, 'redis', 'redis-1.conf'), 'utf8')).toContain('maxmemory 2gb');

    await writeFile(path.join(dir, 'redis', 'redis-1.conf'), 'maxmemory 3gb\n');
    await expect(scaffold({ outDir: dir, config: changed, writeModel: false, dryRun: false, force: false, rotateSecrets: false })).rejects.toThrow(/changed since gridctl wrote it.*redis\/redis-1\.conf/);
    expect(await readFile(path.join(dir, 'redis', 'redis-1.conf'), 'utf8')).toBe('maxmemory 3gb\n');
    const forced = await scaffold({ outDir: dir, config: changed, writeModel: false, dryRun: false, force: true, rotateSecrets: false });
    expect(forced.plan.entries.find((e) => e.path === 'redis/redis-1.conf')?.action).toBe('overwrite');
    expect(await readFile(path.join(dir, 'redis', 'redis-1.conf'), 'utf8')).toContain('maxmemory 2gb');
  });

  it('a fresh init never replaces an edited gridctl.yaml without --force', async () => {
    const p = path.join(dir, 'gridctl.yaml');
    await writeFile(p, (await readFile(p, 'utf8')).replace('maxmemory: 1gb', 'maxmemory: 4gb'));
    await expect(run()).rejects.toThrow(/gridctl\.yaml/);
  });

  it('--rotate-secrets makes new passwords (and hashes), nothing else changes', async () => {
    const old = await secretOf('app');
    const changed = { ...config, memory: { maxmemory: '2gb', policy: 'noeviction' as const } };
    const r = await scaffold({ outDir: dir, config: changed, writeModel: false, dryRun: false, force: false, rotateSecrets: true });
    const now = await secretOf('app');
    expect(now).not.toBe(old);
    expect(await readFile(path.join(dir, 'users.acl'), 'utf8')).toContain(`#${passwordHash(now)}`);
    expect(r.plan.entries.find((e) => e.path === 'secrets/app.env')?.action).toBe('overwrite');
    expect(r.plan.entries.find((e) => e.path === 'docker-compose.yml')?.action).toBe('unchanged');
  });
});
