import { describe, expect, it } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import diff from '../../../src/commands/acl/diff.js';
import { compareFile, compareGroup, hashLabeler, parseUserLines } from '../../../src/core/acl/acl-diff.js';
import { singleNodeCoverage } from '../../../src/core/redis/coverage.js';
import type { AclDiffReport } from '../../../src/core/acl/acl-diff.js';

const H = (c: string) => c.repeat(64);

describe('acl diff options', () => {
  it('--acl-file', async () => {
    expect(await parsedOptions(['acl', 'diff'])).toEqual({});
    expect(await parsedOptions(['acl', 'diff', '--acl-file', 'users.acl'])).toEqual({ aclFile: 'users.acl' });
  });
  it('an empty --acl-file is a usage error naming it', async () => {
    await expect(parsedOptions(['acl', 'diff', '--acl-file', ''])).rejects.toThrow(/^--acl-file: /);
  });
});

describe('comparing users', () => {
  const a = parseUserLines([`user app on #${H('a')} ~order:* -@all +@read`, 'user default off -@all']);
  const b = parseUserLines([`user app on #${H('b')} #${H('a')} ~order:* -@all +@read`]);
  it('labels hashes in order of first sight, the same label everywhere; password order does not matter', () => {
    const drift = compareGroup('data', [{ node: 'n1', users: a }, { node: 'n2', users: b }, { node: 'n3', users: a }], hashLabeler());
    expect(drift).toEqual([
      { user: 'app', group: 'data', status: 'drift', variants: [{ rules: 'password-1 on ~order:* -@all +@read', nodes: ['n1', 'n3'] }, { rules: 'password-1 password-2 on ~order:* -@all +@read', nodes: ['n2'] }], missingOn: [] },
      { user: 'default', group: 'data', status: 'drift', variants: [{ rules: 'off -@all', nodes: ['n1', 'n3'] }], missingOn: ['n2'] },
    ]);
  });
  it('the file: missing users both ways, passwords, on/off', () => {
    const file = parseUserLines([`user app on #${H('a')} ~*`, `user gone off #${H('c')}`]);
    expect(compareFile(file, [{ node: 'n1', users: a }, { node: 'n2', users: b }])).toEqual([
      { user: 'app', problem: 'passwords differ', nodes: ['n2'] },
      { user: 'gone', problem: 'not on nodes', nodes: ['n1', 'n2'] },
      { user: 'default', problem: 'not in file', nodes: ['n1'] },
    ]);
  });
});

describe('acl diff render and verdict', () => {
  const report: AclDiffReport = {
    nodes: [{ address: 'n1:6379', role: 'master' }, { address: 'n2:6379', role: 'replica' }],
    unreachable: [],
    users: [{ user: 'app', group: 'data', status: 'drift', variants: [{ rules: 'password-1 on ~*', nodes: ['n1:6379'] }], missingOn: ['n2:6379'] }],
    file: { path: 'users.acl', drift: [{ user: 'app', problem: 'passwords differ', nodes: ['n1:6379'] }] },
    drift: true,
    coverage: singleNodeCoverage('standalone', 'n1:6379'),
  };
  it('piped: a row per variant and per missing group; the file on stderr; exit 1 on drift', () => {
    const t = testContext();
    diff.render(report, t.ctx.out, {});
    expect(t.stdout().trim().split('\n')).toEqual(['app\tdata\tDRIFT\tn1:6379\tpassword-1 on ~*', 'app\tdata\tDRIFT\tn2:6379\t(no such user)']);
    expect(t.stderr()).toContain('users.acl: user "app" passwords differ (n1:6379)');
    expect(diff.verdict!(report, {})).toBe(1);
    expect(diff.verdict!({ ...report, drift: false }, {})).toBe(0);
  });
});
