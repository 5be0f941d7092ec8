import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { startDeployment, type TestDeployment } from '../helpers/redis.js';
import { runCli } from '../helpers/cli.js';
import { lintFiles } from '../../src/core/lint/engine.js';
import { defaultContext } from '../../src/core/lint/context.js';
import { compareLive, readLive } from '../../src/core/lint/live.js';

/** --live against a real redis-server started from a file: no drift at first, then CONFIG SET / ACL SETUSER drift. */
let d: TestDeployment;
let client: Redis;
let conf: string;

beforeAll(async () => {
  d = await startDeployment({ topology: 'standalone', acl: true });
  conf = d.state.nodes[0]!.configFile;
  client = await d.node(d.state.nodes[0]!);
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  await d?.stop();
});

function drift() {
  const { servers } = lintFiles([conf], defaultContext());
  return servers[0]!;
}

describe('check --live', () => {
  it('a server started from the file has no drift, and live-only rules see it has no TLS', async () => {
    const server = drift();
    const r = compareLive(server, await readLive(client), 'node', '7.0');
    expect(r.findings.filter((f) => f.ruleId.startsWith('DRIFT')).map((f) => f.message)).toEqual([]);
    expect(r.summary.directivesCompared).toBeGreaterThan(5);
    expect(r.summary.usersCompared).toBe(2);
    expect(r.findings.map((f) => f.ruleId)).toContain('LIVE003');
    expect(r.findings.map((f) => f.ruleId)).not.toContain('LIVE001');
  });

  it('reports CONFIG SET and ACL SETUSER changes as drift per directive and per user', async () => {
    await client.call('CONFIG', 'SET', 'save', '900 1');
    await client.call('CONFIG', 'SET', 'protected-mode', 'no').catch(() => undefined);
    await client.call('ACL', 'SETUSER', 'intruder', 'on', 'nopass', '~*', '+@all');
    await client.call('ACL', 'SETUSER', d.state.username!, '-debug');
    const server = drift();
    const r = compareLive(server, await readLive(client), 'node', '7.0');
    const msgs = r.findings.map((f) => `${f.ruleId} ${f.message}`);
    expect(msgs).toContain('DRIFT001 save: file says "", running server has "900 1"');
    expect(msgs.some((m) => /^DRIFT001 protected-mode/.test(m))).toBe(true);
    expect(msgs.some((m) => /^DRIFT002 user intruder exists on the running server/.test(m))).toBe(true);
    expect(msgs.some((m) => new RegExp(`^DRIFT002 user ${d.state.username}: .*commands differ \\(debug`).test(m))).toBe(true);
    expect(msgs.some((m) => /^LIVE004 running user intruder/.test(m))).toBe(true);
    const userFinding = r.findings.find((f) => f.ruleId === 'DRIFT002' && f.message.includes(d.state.username!));
    expect(userFinding!.file).toBe(conf);
    expect(userFinding!.line).toBeGreaterThan(0);
  });

  it('through the CLI: --live with the run dir target, exit 1 on drift', async () => {
    const r = await runCli(['check', conf, '--live', ...d.cliArgs, '--password-file', d.state.passwordFile!, '--user', d.state.username!, '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.live.directivesCompared).toBeGreaterThan(5);
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'DRIFT001')).toBe(true);
    expect(r.exitCode).toBe(1);
  });
});
