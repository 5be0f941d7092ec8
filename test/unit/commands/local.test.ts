import { describe, expect, it } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import up from '../../../src/commands/up/up.js';
import down from '../../../src/commands/down/down.js';
import help from '../../../src/commands/help/help.js';
import type { LocalState } from '../../../src/core/local/state.js';

describe('up / down / help options', () => {
  it.each([
    [['up'], { topology: 'standalone', tls: false, acl: false }],
    [['up', '--topology', 'cluster', '--acl', '--tls'], { topology: 'cluster', tls: true, acl: true }],
    [['up', '--from', 'deploy'], { topology: 'standalone', tls: false, acl: false, from: 'deploy' }],
    [['down'], {}],
    [['help'], {}],
    [['help', 'exit-codes'], { topic: 'exit-codes' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['up', '--topology', 'ring'], /argument 'ring' is invalid/],
    [['up', '--from', ''], /^--from: Too small/],
    [['down', '--force'], /unknown option '--force'/],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    await expect(parsedOptions(argv)).rejects.toThrow(message);
  });
});

const state: LocalState = {
  version: 1,
  topology: 'sentinel',
  dir: '/tmp/run',
  createdAt: '2026-12-07T06:00:00.000Z',
  tls: false,
  acl: true,
  masterName: 'gridtokenx',
  url: 'redis://admin@127.0.0.1:7001',
  username: 'admin',
  passwordFile: '/tmp/run/admin.pass',
  nodes: [{ name: 'redis-1', role: 'master', host: '127.0.0.1', port: 7001, pid: 42, configFile: 'a', logFile: 'b', dataDir: 'c' }],
};

describe('up render', () => {
  it('the URL alone on stdout (so $(gridctl up) works); the nodes as TSV on stderr when piped', () => {
    const t = testContext();
    up.render(state, t.ctx.out, { topology: 'sentinel', tls: false, acl: true });
    expect(t.stdout()).toBe('redis://admin@127.0.0.1:7001\n');
    expect(t.stderr()).toContain('redis-1\tmaster\t127.0.0.1:7001\t42');
    expect(t.stderr()).toContain('sentinel master name: gridtokenx');
  });

  it('on a terminal the nodes are a table with a header; --quiet keeps only the URL', () => {
    const tty = testContext({ tty: true });
    up.render(state, tty.ctx.out, { topology: 'sentinel', tls: false, acl: true });
    expect(tty.stderr()).toMatch(/NODE.*ROLE.*ADDRESS.*PID/);
    const quiet = testContext({ global: { quiet: true } });
    up.render(state, quiet.ctx.out, { topology: 'sentinel', tls: false, acl: true });
    expect(quiet.stdout()).toBe('redis://admin@127.0.0.1:7001\n');
    expect(quiet.stderr()).toBe('');
  });
});

describe('down render', () => {
  it('says what it stopped, or that nothing ran', () => {
    const t = testContext();
    down.render({ found: true, dir: '/tmp/run', stopped: [{ name: 'a', pid: 1 }, { name: 'b', pid: 2 }] } as never, t.ctx.out, {});
    down.render({ found: false, dir: '/tmp/run', stopped: [] } as never, t.ctx.out, {});
    expect(t.stderr()).toBe('stopped 2 processes; removed /tmp/run\nnothing is running from /tmp/run\n');
    expect(t.stdout()).toBe('');
  });
});

describe('help', () => {
  it('exit-codes lists every code with its meaning, unmasked', async () => {
    const t = testContext();
    const report = await help.run({ topic: 'exit-codes' }, t.ctx);
    help.render(report, t.ctx.out, { topic: 'exit-codes' });
    expect(t.stdout()).toMatch(/^ {2}4 {2}auth {9}authentication or permission denied/m);
    expect(t.stdout().match(/^ {2}\d /gm)).toHaveLength(7);
  });

  it('an unknown topic is a usage error', async () => {
    const t = testContext();
    await expect(help.run({ topic: 'nope' }, t.ctx)).rejects.toMatchObject({ exitCode: 3, message: 'no help topic or command "nope"' });
  });
});
