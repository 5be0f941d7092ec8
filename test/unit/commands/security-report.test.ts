import { afterEach, describe, expect, it } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import report from '../../../src/commands/security/report.js';
import { configureColors } from '../../../src/ui/colors.js';
import { securityFindings } from '../../../src/core/security/report.js';
import { entriesLost, groupDenied } from '../../../src/core/security/node-security.js';
import { usersFromAclLists } from '../../../src/core/security/users.js';
import { newSince } from '../../../src/core/security/since.js';
import { singleNodeCoverage } from '../../../src/core/redis/coverage.js';
import type { SecurityReport } from '../../../src/core/security/types.js';
import type { LogEntry } from '../../../src/core/acl/acl-log.js';

describe('security report options', () => {
  it.each([
    [['security', 'report'], {}],
    [['security', 'report', '--format', 'prometheus'], { format: 'prometheus' }],
    [['security', 'report', '--since', 'sec.state', '--json'], { since: 'sec.state' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });
  it('an unknown format is a usage error', async () => {
    await expect(parsedOptions(['security', 'report', '--format', 'xml'])).rejects.toThrow(/argument 'xml' is invalid/);
  });
});

const entry = (over: Partial<LogEntry>): LogEntry => ({ reason: 'auth', context: 'toplevel', object: 'auth', username: 'app', count: 1, ageSeconds: 10, clientAddr: '10.1.1.5:5000', ...over });

describe('ACL LOG grouping', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('per reason, user and client IP: counts summed, objects listed, last seen from age (7.0) or the timestamp (7.2+)', () => {
    const groups = groupDenied('n1', [entry({ count: 2 }), entry({ clientAddr: '10.1.1.5:6000', count: 3, ageSeconds: 5 }), entry({ reason: 'command', object: 'FLUSHALL', clientAddr: '10.1.1.6:1' }), entry({ object: 'AUTH' }), entry({ reason: 'key', object: 'user:1', createdMs: now - 60_000, updatedMs: now - 1000 })], now);
    expect(groups).toEqual([
      { node: 'n1', reason: 'auth', user: 'app', client: '10.1.1.5', count: 6, objects: ['auth'], firstSeen: null, lastSeen: '2026-12-07T11:59:55.000Z' },
      { node: 'n1', reason: 'command', user: 'app', client: '10.1.1.6', count: 1, objects: ['flushall'], firstSeen: null, lastSeen: '2026-12-07T11:59:50.000Z' },
      { node: 'n1', reason: 'key', user: 'app', client: '10.1.1.5', count: 1, objects: ['user:1'], firstSeen: '2026-12-07T11:59:00.000Z', lastSeen: '2026-12-07T11:59:59.000Z' },
    ]);
  });
  it('entries lost: from entry-id (7.2+), unknown before', () => {
    expect(entriesLost([entry({ entryId: 130 }), entry({ entryId: 129 })])).toBe(129);
    expect(entriesLost([entry({})])).toBeNull();
    expect(entriesLost([])).toBe(0);
  });
  it('--since: growth of a known group, new groups whole, a lower count seen later (ACL LOG RESET) whole', () => {
    const g = (client: string, count: number, lastSeen: string) => ({ node: 'n', reason: 'auth', user: 'app', client, count, objects: ['auth'], firstSeen: null, lastSeen });
    const previous = { version: 1 as const, generatedAt: 'x', groups: { 'n|auth|app|a': { count: 5, lastSeen: '2026-12-07T10:00:00.000Z' }, 'n|auth|app|b': { count: 9, lastSeen: '2026-12-07T10:00:00.000Z' }, 'n|auth|app|c': { count: 2, lastSeen: '2026-12-07T10:00:00.000Z' } } };
    const now = [g('a', 7, '2026-12-07T11:00:00.000Z'), g('b', 1, '2026-12-07T11:00:00.000Z'), g('c', 2, '2026-12-07T10:00:00.000Z'), g('d', 1, '2026-12-07T11:00:00.000Z')];
    expect(newSince(now, previous).map((x) => [x.client, x.count])).toEqual([['a', 2], ['b', 1], ['d', 1]]);
    expect(newSince(now, undefined)).toHaveLength(4);
  });
  it('users from ACL LIST: nopass and +@all, merged across nodes', () => {
    const users = usersFromAclLists([
      { node: 'a', lines: ['user admin on #abc ~* &* +@all', 'user old off nopass -@all'] },
      { node: 'b', lines: ['user admin on #abc ~* &* +@all', 'user svc on nopass ~* -@all +get'] },
    ]);
    expect(users.map((u) => [u.user, u.enabled, u.nopass, u.allCommands, u.nodes])).toEqual([
      ['admin', true, false, true, ['a', 'b']],
      ['old', false, true, false, ['a']],
      ['svc', true, true, false, ['b']],
    ]);
  });
});

function sample(over: Partial<SecurityReport> = {}): SecurityReport {
  return {
    generatedAt: '2026-12-07T12:00:00.000Z',
    topology: 'standalone',
    nodes: [{ address: '10.0.0.1:6379', role: 'master', deniedCounters: null, logEntriesLost: null, clients: { total: 4, tls: 3 }, defaultUser: { enabled: true, nopass: true }, protectedMode: false }],
    unreachable: [],
    denied: [{ node: '10.0.0.1:6379', reason: 'auth', user: 'app', client: '10.1.1.5', count: 7, objects: ['auth'], firstSeen: null, lastSeen: '2026-12-07T11:59:00.000Z' }],
    users: [{ user: 'app', enabled: true, nopass: false, allCommands: false, dangerous: ['KEYS'], nodes: ['10.0.0.1:6379'] }],
    tlsShare: 0.75,
    findings: [],
    coverage: singleNodeCoverage('standalone', '10.0.0.1:6379'),
    ...over,
  };
}

describe('security findings, render and verdict', () => {
  afterEach(() => configureColors(false));
  it('findings, most severe first', () => {
    expect(securityFindings(sample()).map((f) => [f.severity, f.id])).toEqual([
      ['critical', 'default-user-nopass'],
      ['warning', 'auth-failures'],
      ['warning', 'protected-mode-off'],
      ['warning', 'plaintext-clients'],
      ['info', 'dangerous-commands'],
    ]);
  });
  it('piped: one TSV row per refused group; findings on stderr; exit 1 at warning, 0 for info only', () => {
    const r = sample();
    r.findings = securityFindings(r);
    const t = testContext();
    report.render(r, t.ctx.out, {});
    expect(t.stdout().trim().split('\n')).toEqual(['10.0.0.1:6379\tauth\tapp\t10.1.1.5\t7\tauth\t-\t2026-12-07T11:59:00.000Z']);
    expect(t.stderr()).toContain('TLS: 75% of client connections');
    expect(t.stderr()).toContain('CRITICAL the default user is on with nopass on 10.0.0.1:6379');
    expect(report.verdict!(r, {})).toBe(1);
    expect(report.verdict!({ ...r, findings: [{ severity: 'info', id: 'x', message: 'x' }] }, {})).toBe(0);
  });
  it('on a terminal: the nodes and users tables too', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    report.render(sample(), t.ctx.out, {});
    expect(t.stdout()).toMatch(/DEFAULT USER.*PROTECTED/);
    expect(t.stdout()).toMatch(/USER.*NOPASS.*\+@ALL.*DANGEROUS COMMANDS/);
  });
  it('prometheus: the refused attempts and clients by transport', () => {
    const t = testContext();
    report.render(sample(), t.ctx.out, { format: 'prometheus' });
    expect(t.stdout()).toContain('gridctl_security_acl_denied{node="10.0.0.1:6379",reason="auth",user="app",client="10.1.1.5"} 7');
    expect(t.stdout()).toContain('gridctl_security_clients{node="10.0.0.1:6379",transport="plain"} 1');
    expect(t.stdout()).toContain('gridctl_security_default_user_enabled{node="10.0.0.1:6379"} 2');
  });
});
