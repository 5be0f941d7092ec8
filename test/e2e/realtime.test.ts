import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';

let dep: TestDeployment;
let raw: Redis;
const gridctl = (args: string[]) => runCli([...args, ...dep.cliArgs]);

beforeAll(async () => {
  dep = await startDeployment({ topology: 'standalone' });
  raw = (await dep.client()) as Redis;
  for (let i = 0; i < 8; i++) await raw.xadd('stream:settlements', '*', 'n', String(i));
  await raw.xgroup('CREATE', 'stream:settlements', 'settlement', '0');
  await raw.xreadgroup('GROUP', 'settlement', 'c1', 'COUNT', 3, 'STREAMS', 'stream:settlements', '>');
  const ids = ((await raw.call('XPENDING', 'stream:settlements', 'settlement', '-', '+', 10)) as string[][]).map((e) => e[0]!);
  await raw.call('XCLAIM', 'stream:settlements', 'settlement', 'c1', 0, ...ids, 'RETRYCOUNT', 9);
}, 60_000);
afterAll(async () => {
  raw?.disconnect();
  await dep?.stop();
});

describe('gridctl stream / pubsub / clients (built binary)', () => {
  it('--help lists the commands and each subcommand names its ACL and exit codes', async () => {
    const top = await runCli(['--help']);
    for (const name of ['stream', 'pubsub', 'clients']) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const dl = await runCli(['stream', 'dead-letter', '--help']);
    expect(dl.stdout).toContain('+xpending +eval +xrange +xadd +xack');
    expect(dl.stdout).toMatch(/Exit codes: 0 moved/);
  });

  it('inspect: poison entries exit 1; --json is the report; prometheus text', async () => {
    const r = await gridctl(['stream', 'inspect', 'stream:settlements', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.groups[0]).toMatchObject({ name: 'settlement', pending: 3, maxDeliveries: 9, poisonEntries: 3 });
    expect(report.coverage.complete).toBe(true);
    const prom = await gridctl(['stream', 'inspect', 'stream:settlements', '--format', 'prometheus']);
    expect(prom.stdout).toContain('gridctl_stream_group_poison_entries{stream="stream:settlements",group="settlement"} 3');
    const missing = await gridctl(['stream', 'inspect', 'stream:nope']);
    expect([missing.exitCode, missing.stderr]).toEqual([1, expect.stringContaining('stream stream:nope does not exist')]);
  });

  it('a repair without --yes and no terminal exits 3 and changes nothing; --yes does it', async () => {
    const refused = await gridctl(['stream', 'dead-letter', 'stream:settlements', 'settlement']);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('--yes required to dead-letter entries of stream:settlements');
    expect(((await raw.call('XPENDING', 'stream:settlements', 'settlement')) as [number])[0]).toBe(3);
    const done = await gridctl(['stream', 'dead-letter', 'stream:settlements', 'settlement', '--yes']);
    expect(done.exitCode).toBe(0);
    expect(done.stderr).toContain('moved 3 entries of settlement on stream:settlements to {stream:settlements}:dead-letter');
    expect(await raw.xlen('{stream:settlements}:dead-letter')).toBe(3);
  });

  it('usage errors exit 3 naming the flag', async () => {
    const trim = await gridctl(['stream', 'trim', 'stream:settlements']);
    expect([trim.exitCode, trim.stderr]).toEqual([3, expect.stringContaining('--maxlen: give exactly one of --maxlen N or --minid ID')]);
    const by = await gridctl(['clients', '--by', 'colour']);
    expect(by.exitCode).toBe(3);
  });

  it('pubsub channels with a critical channel at 0 subscribers exits 1; clients exits 0', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-e2e-rt-'));
    await writeFile(path.join(dir, 'gridctl.yaml'), 'pubsub:\n  critical:\n    - { channel: system:alerts }\n');
    const r = await runCli(['pubsub', 'channels', ...dep.cliArgs], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('FAIL critical channel system:alerts: 0 subscriber(s)');
    const c = await gridctl(['clients', '--json']);
    expect(c.exitCode).toBe(0);
    expect(JSON.parse(c.stdout).nodes[0].maxclients).toBe(10000);
    await rm(dir, { recursive: true, force: true });
  });
});
