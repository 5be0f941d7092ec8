import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { buildCommands } from '../../src/commands/registry.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';

/**
 * Issue 24 item 1: a password holding / @ : % # never appears in any output of any command's error
 * paths (a URL that does not parse, a wrong password, a refused or unreachable host, a TLS mismatch,
 * a bad gridctl.yaml target), given by --url, REDIS_URL, a gridctl.yaml target (inline URL or
 * passwordFile) or --password-file, with and without --json. The commands come from the registry and
 * their required arguments and options are filled in by name, so a new command is covered without
 * editing this file.
 */

const PASSWORD = 'Secr3t/2026@x:y#z%41';
const ENCODED = encodeURIComponent(PASSWORD);
/** Every form it could leak in: raw, percent-encoded, percent-decoded (%41 is "A"), and telling pieces. */
const FORMS = [PASSWORD, ENCODED, PASSWORD.replace('%41', 'A'), 'Secr3t/2026', 'Secr3t%2F2026', 'x:y#z', 'y%23z'];

/** Values for required arguments and options, by name; anything else gets "x". */
const PLACEHOLDERS: Record<string, string[]> = {
  command: ['true'],
  pattern: ['orders.*'],
  ttl: ['5s'],
  'min-idle': ['1s'],
  idle: ['1h'],
  out: ['snapshot.json'],
};
const placeholder = (name: string) => PLACEHOLDERS[name] ?? ['x'];
/** Flags some commands need to get as far as connecting (a choice their options validate first). */
const TO_CONNECT: Record<string, string[]> = {
  'lock release': ['--token', 'x'],
  'stream trim': ['--maxlen', '10'],
  check: ['redis.conf', '--live'],
};

/** A runnable command: its words and required values, and what goes after `--` (lock run's COMMAND). */
interface Invocation {
  head: string[];
  tail: string[];
}

/** Every runnable command path with its required arguments and options filled in. */
function runnable(command: Command, prefix: string[] = []): Invocation[] {
  const here = [...prefix, command.name()];
  // commander keeps the bound action privately: a command with subcommands may run itself too (backup, clients).
  const runsItself = Boolean((command as unknown as { _actionHandler?: unknown })._actionHandler);
  const required = command.registeredArguments.filter((a) => a.required);
  const mandatory = [...command.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, ...placeholder(o.long!.slice(2))]), ...(TO_CONNECT[here.join(' ')] ?? [])];
  const own: Invocation[] = runsItself
    ? [{ head: [...here, ...required.filter((a) => !a.variadic).flatMap((a) => placeholder(a.name())), ...mandatory], tail: required.filter((a) => a.variadic).flatMap((a) => placeholder(a.name())) }]
    : [];
  return [...own, ...command.commands.flatMap((sub) => runnable(sub, here))];
}
const COMMANDS = buildCommands()
  .flatMap((c) => runnable(c))
  .filter(({ head }) => !['init', 'up', 'down', 'help'].includes(head[0]!));

/** The command's argv around the way's own flags: `lock run x --ttl 5s <flags> -- true`. */
const argv = (cmd: Invocation, flags: string[]) => [...cmd.head, ...flags, ...(cmd.tail.length ? ['--', ...cmd.tail] : [])];
const label = (cmd: Invocation) => cmd.head.join(' ');

let cwd: string;
let tls: TestDeployment;
let tlsFlags: string[];
let port: number;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-leak-'));
  // A real TLS + ACL server: the password is wrong for its admin user, so every way gets to AUTH.
  tls = await startDeployment({ topology: 'standalone', tls: true, acl: true });
  port = tls.state.nodes[0]!.port;
  const f = tls.state.tlsFiles!;
  tlsFlags = ['--tls-ca', f.ca, '--tls-cert', f.cert, '--tls-key', f.key];
  await writeFile(path.join(cwd, 'leak.pass'), PASSWORD + '\n', { mode: 0o600 });
  await writeFile(path.join(cwd, 'redis.conf'), 'port 6379\n');
  await writeFile(
    path.join(cwd, 'gridctl.yaml'),
    [
      'targets:',
      '  refused:',
      `    url: "redis://u1:${PASSWORD}@127.0.0.1:1"`,
      '  wrongpass:',
      `    url: "rediss://admin@127.0.0.1:${port}"`,
      '    passwordFile: leak.pass',
      '    tls:',
      `      ca: ${f.ca}`,
      `      cert: ${f.cert}`,
      `      key: ${f.key}`,
      '  unparsable:',
      `    url: "redis://u1:${PASSWORD}@127.0.0.1:notaport/zero"`,
      '',
    ].join('\n'),
  );
}, 120_000);
afterAll(async () => {
  await tls?.stop();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

type Way = [string, (cmd: Invocation) => Parameters<typeof runCli>];
const WAYS: Way[] = [
  ['--url that does not parse, --json', (cmd) => [argv(cmd, ['--url', `redis://u1:${PASSWORD}@127.0.0.1:notaport`, '--json']), { cwd }]],
  ['--url, refused', (cmd) => [argv(cmd, ['--url', `redis://u1:${PASSWORD}@127.0.0.1:1`, '--timeout', '2s']), { cwd }]],
  ['--url, unreachable host (timeout), --json', (cmd) => [argv(cmd, ['--url', `redis://u1:${ENCODED}@192.0.2.1:6379`, '--timeout', '1s', '--json']), { cwd }]],
  ['--url, wrong password', (cmd) => [argv(cmd, ['--url', `rediss://admin:${ENCODED}@127.0.0.1:${port}`, ...tlsFlags, '--timeout', '3s']), { cwd }]],
  ['REDIS_URL, refused', (cmd) => [argv(cmd, ['--timeout', '2s']), { cwd, env: { REDIS_URL: `redis://u1:${PASSWORD}@127.0.0.1:1` } }]],
  ['REDIS_URL, wrong password, --json', (cmd) => [argv(cmd, [...tlsFlags, '--timeout', '3s', '--json']), { cwd, env: { REDIS_URL: `rediss://admin:${ENCODED}@127.0.0.1:${port}` } }]],
  ['--password-file, wrong password, --json', (cmd) => [argv(cmd, ['--url', `rediss://admin@127.0.0.1:${port}`, '--password-file', path.join(cwd, 'leak.pass'), ...tlsFlags, '--timeout', '3s', '--json']), { cwd }]],
  ['TLS mismatch: redis:// to a TLS port', (cmd) => [argv(cmd, ['--url', `redis://admin:${ENCODED}@127.0.0.1:${port}`, '--timeout', '2s']), { cwd }]],
  ['TLS mismatch: rediss:// without its CA, --json', (cmd) => [argv(cmd, ['--url', `rediss://admin:${ENCODED}@127.0.0.1:${port}`, '--timeout', '2s', '--json']), { cwd }]],
  ['gridctl.yaml target (inline URL), refused, --json', (cmd) => [argv(cmd, ['--target', 'refused', '--json', '--timeout', '2s']), { cwd }]],
  ['gridctl.yaml target (passwordFile), wrong password', (cmd) => [argv(cmd, ['--target', 'wrongpass', '--timeout', '3s']), { cwd }]],
  ['bad gridctl.yaml target: its URL does not parse, --json', (cmd) => [argv(cmd, ['--target', 'unparsable', '--json']), { cwd }]],
  ['bad gridctl.yaml target: no such name', (cmd) => [argv(cmd, ['--target', 'refusd']), { cwd }]],
];

/** A few at a time: the machine has 2 cores. */
async function runAll(way: Way[1]): Promise<Array<{ cmd: string; r: CliResult }>> {
  const queue = [...COMMANDS];
  const out: Array<{ cmd: string; r: CliResult }> = [];
  const worker = async () => {
    for (let cmd = queue.shift(); cmd; cmd = queue.shift()) out.push({ cmd: label(cmd), r: await runCli(...way(cmd)) });
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

describe('no password in any output', () => {
  it('covers the registry, commands with required arguments included', () => {
    expect(COMMANDS.map(label)).toEqual(expect.arrayContaining(['health', 'memory', 'lock list', 'lock run x --ttl 5s', 'backup', 'restore x', 'stream claim x x --to x --min-idle 1s', 'acl rotate x']));
  });

  it.each(WAYS)('%s: every command fails without printing it', async (_way, args) => {
    const results = await runAll(args);
    expect(results).toHaveLength(COMMANDS.length);
    for (const { cmd, r } of results) {
      expect(r.exitCode, `${cmd}: ${r.stderr}`).not.toBe(0);
      for (const form of FORMS) expect(`${r.stdout}\n${r.stderr}`, `${cmd} printed ${form}`).not.toContain(form);
    }
  }, 240_000);
});
