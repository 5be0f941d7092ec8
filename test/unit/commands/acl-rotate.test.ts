import { afterEach, describe, expect, it } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import rotate from '../../../src/commands/acl/rotate.js';
import { configureColors } from '../../../src/ui/colors.js';
import { rotationQuestion } from '../../../src/ui/views/acl-rotate-view.js';
import { registerSecret } from '../../../src/core/mask.js';
import { singleNodeCoverage } from '../../../src/core/redis/coverage.js';
import type { RotationReport } from '../../../src/core/acl/rotation-report.js';

describe('acl rotate options', () => {
  it.each([
    [['acl', 'rotate', 'app'], { user: 'app' }],
    [['acl', 'rotate', 'app', '--dry-run'], { user: 'app', dryRun: true }],
    [['acl', 'rotate', 'app', '--finish', '--force', '--watch', '30s'], { user: 'app', finish: true, force: true, watch: '30s' }],
    [['acl', 'rotate', 'app', '--rollback', '--state-file', 's.json'], { user: 'app', rollback: true, stateFile: 's.json' }],
    [['acl', 'rotate', 'app', '--new-password-file', 'n', '--secret-file', 'secrets/app.env', '--acl-file', 'users.acl'], { user: 'app', newPasswordFile: 'n', secretFile: 'secrets/app.env', aclFile: 'users.acl' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['acl', 'rotate'], /missing required argument 'user'/],
    [['acl', 'rotate', 'app', '--state-file', ''], /^--state-file: /],
    [['acl', 'rotate', 'app', '--bogus'], /unknown option '--bogus'/],
  ])('%j is a usage error', async (argv, message) => {
    await expect(parsedOptions(argv)).rejects.toThrow(message);
  });

  it.each([
    [{ user: 'app', finish: true, rollback: true }, /--finish and --rollback do not go together/],
    [{ user: 'app', force: true }, /--force goes with --finish/],
    [{ user: 'app', watch: '5s' }, /--watch goes with --finish/],
    [{ user: 'app', finish: true, watch: 'soon' }, /invalid --watch "soon"/],
  ])('%j is refused before any connection (exit 3)', async (flags, message) => {
    const t = testContext({ global: { url: 'redis://127.0.0.1:1' } });
    await expect(rotate.run(flags, t.ctx)).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(message) });
  });
});

const SECRET = 'a-new-password-that-must-never-be-printed-0123';

function report(over: Partial<RotationReport> = {}): RotationReport {
  return {
    user: 'app',
    action: 'start',
    dryRun: false,
    topology: 'sentinel',
    phase: 'added',
    complete: true,
    nodes: [
      { address: '10.0.0.1:6379', role: 'master', acceptsOld: true, acceptsNew: true, change: 'add-new', persisted: 'acl save' },
      { address: '10.0.0.2:6379', role: 'replica', acceptsOld: true, acceptsNew: true, change: 'none', persisted: 'config rewrite' },
      { address: '10.0.0.9:26379', role: 'sentinel', acceptsOld: true, acceptsNew: true, change: 'add-new', persisted: 'sentinel flushconfig' },
    ],
    links: [{ kind: 'masterauth', node: '10.0.0.2:6379', change: 'set' }],
    files: [{ file: '/etc/gw/secrets/app.env', what: 'secret', change: 'written' }],
    oldConnections: [{ node: '10.0.0.1:6379', source: '10.1.1.5', user: 'app', connections: 3, oldestAgeSeconds: 600, names: ['gateway'] }],
    authFailures: [],
    next: 'every node accepts both passwords',
    stateFile: '/etc/gw/.gridctl/acl-rotate-app.json',
    coverage: singleNodeCoverage('sentinel', '10.0.0.1:6379'),
    ...over,
  };
}

describe('acl rotate render and verdict', () => {
  afterEach(() => configureColors(false));

  it('piped: one TSV row per node on stdout; links, files, old connections and next on stderr; no secret', () => {
    registerSecret(SECRET);
    const t = testContext();
    rotate.render(report({ next: `clients: use ${SECRET}` }), t.ctx.out, { user: 'app' });
    const rows = t.stdout().trim().split('\n').map((r) => r.split('\t'));
    expect(rows).toEqual([
      ['10.0.0.1:6379', 'master', 'new password added', 'yes', 'yes', 'acl save'],
      ['10.0.0.2:6379', 'replica', 'already so', 'yes', 'yes', 'config rewrite'],
      ['10.0.0.9:26379', 'sentinel', 'new password added', 'yes', 'yes', 'sentinel flushconfig'],
    ]);
    expect(t.stderr()).toContain('masterauth on 10.0.0.2:6379: set');
    expect(t.stderr()).toContain('3 connection(s) of "app" from 10.1.1.5 on 10.0.0.1:6379 opened before phase 1 (oldest 600 s; gateway)');
    expect(t.stderr()).toContain('rotation is now "added"');
    expect(t.stdout() + t.stderr()).not.toContain(SECRET);
  });

  it('a dry run says "would"; a failed node shows its error; on a terminal the header', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    const r = report({ dryRun: true, complete: false, nodes: [{ address: '10.0.0.1:6379', role: 'master', acceptsOld: true, acceptsNew: false, change: 'add-new', planned: true }, { address: '10.0.0.2:6379', role: 'replica', acceptsOld: true, acceptsNew: true, change: 'failed', error: 'ERR Rewriting config file: Permission denied' }] });
    rotate.render(r, t.ctx.out, { user: 'app' });
    expect(t.stdout()).toMatch(/NODE.*ROLE.*CHANGE.*OLD.*NEW.*PERSISTED/);
    expect(t.stdout()).toContain('would: new password added');
    expect(t.stdout()).toContain('Rewriting config file');
    expect(t.stderr()).toContain('DRY RUN');
  });

  it('exit codes: 0 done or dry run, 1 incomplete or refused, 2 declined', () => {
    expect(rotate.verdict!(report(), { user: 'app' })).toBe(0);
    expect(rotate.verdict!(report({ dryRun: true, complete: false }), { user: 'app' })).toBe(0);
    expect(rotate.verdict!(report({ complete: false }), { user: 'app' })).toBe(1);
    expect(rotate.verdict!(report({ action: 'finish', complete: false, refused: 'old connections' }), { user: 'app' })).toBe(1);
    expect(rotate.verdict!(report({ complete: false, declined: true }), { user: 'app' })).toBe(2);
  });

  it('the question names the action, the nodes by role and the server credentials', () => {
    expect(rotationQuestion(report())).toBe('Add a new password (the old one stays accepted) for ACL user "app" on 2 node(s) (1 master, 1 sentinel), and point 1 server credential(s) (masterauth) at the new one?');
  });
});
