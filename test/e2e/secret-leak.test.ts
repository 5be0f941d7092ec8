import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { buildCommands } from '../../src/commands/registry.js';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 24 item 1: a password holding / @ : % # never appears in any output of any command's
 * error paths (a URL that does not parse, a refused connection), given by --url, REDIS_URL or a
 * gridctl.yaml target, with and without --json. The commands come from the registry, so a new
 * command is covered without editing this file.
 */

const PASSWORD = 'Secr3t/2026@x:y#z%41';
const FORMS = [PASSWORD, 'Secr3t/2026', 'Secr3t%2F2026', 'x:y#z'];

/** Every runnable command path that needs no positional argument ('lock list', 'health', ...). */
function runnable(command: Command, prefix: string[] = []): string[][] {
  const here = [...prefix, command.name()];
  // commander keeps the bound action privately: a command with subcommands may run itself too (backup, clients).
  const runsItself = Boolean((command as unknown as { _actionHandler?: unknown })._actionHandler) && !command.registeredArguments.some((a) => a.required);
  return [...(runsItself ? [here] : []), ...command.commands.flatMap((sub) => runnable(sub, here))];
}
const COMMANDS = buildCommands()
  .flatMap((c) => runnable(c))
  .filter(([name]) => !['init', 'up', 'down', 'help'].includes(name!));

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'gridctl-leak-'));
  await writeFile(path.join(cwd, 'gridctl.yaml'), `targets:\n  t:\n    url: "redis://u1:${PASSWORD}@127.0.0.1:1"\n`);
});
afterAll(async () => {
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

const WAYS: Array<[string, (cmd: string[]) => Parameters<typeof runCli>]> = [
  ['--url that does not parse, --json', (cmd) => [[...cmd, '--url', `redis://u1:${PASSWORD}@127.0.0.1:notaport`, '--json'], { cwd }]],
  ['--url, refused', (cmd) => [[...cmd, '--url', `redis://u1:${PASSWORD}@127.0.0.1:1`, '--timeout', '2s'], { cwd }]],
  ['REDIS_URL, refused', (cmd) => [[...cmd, '--timeout', '2s'], { cwd, env: { REDIS_URL: `redis://u1:${PASSWORD}@127.0.0.1:1` } }]],
  ['gridctl.yaml target, --json', (cmd) => [[...cmd, '--target', 't', '--json', '--timeout', '2s'], { cwd }]],
];

describe('no password in any output', () => {
  it('covers the registry', () => {
    expect(COMMANDS.map((c) => c.join(' '))).toEqual(expect.arrayContaining(['health', 'memory', 'lock list', 'backup', 'stream list']));
  });

  it.each(WAYS)('%s: every command fails without printing it', async (_way, args) => {
    const results = await Promise.all(COMMANDS.map(async (cmd) => ({ cmd: cmd.join(' '), r: await runCli(...args(cmd)) })));
    for (const { cmd, r } of results) {
      expect(r.exitCode, `${cmd}: ${r.stderr}`).not.toBe(0);
      for (const form of FORMS) expect(`${r.stdout}\n${r.stderr}`, `${cmd} printed ${form}`).not.toContain(form);
    }
  }, 120_000);
});
