import { describe, expect, it } from 'vitest';
import { passwordRules } from '../../../src/core/acl/acl-user.js';
import { renderAclFileHashes, renderIncludeSecrets, renderSecretFile } from '../../../src/core/acl/secret-files.js';
import { groupOldConnections } from '../../../src/core/acl/client-list.js';
import { parseClientList } from '../../../src/core/clients/client-list.js';
import { parseAclLog } from '../../../src/core/acl/acl-log.js';

const H = (c: string) => c.repeat(64);

describe('passwordRules', () => {
  it('adds before it removes, and only what is missing / present (Redis refuses !h for an absent hash)', () => {
    expect(passwordRules([H('a')], [H('b')], [])).toEqual([`#${H('b')}`]);
    expect(passwordRules([H('a'), H('b')], [H('b')], [H('a'), H('c')])).toEqual([`!${H('a')}`]);
    expect(passwordRules([H('b')], [H('b')], [H('a')])).toEqual([]);
    expect(passwordRules([H('a')], [H('a'), H('b')], [H('a')])).toEqual([`#${H('b')}`]);
  });
});

describe('users.acl re-rendered', () => {
  const file = ['user default off resetpass resetkeys resetchannels -@all', `user app on #${H('a')} resetkeys ~order:* -@all +@read`, `user apple on #${H('c')} ~* +@all`].join('\n');
  it("replaces only that user's hashes, where they were", () => {
    const out = renderAclFileHashes(file, 'app', [H('a'), H('b')]).split('\n');
    expect(out[1]).toBe(`user app on #${H('a')} #${H('b')} resetkeys ~order:* -@all +@read`);
    expect(out[2]).toBe(`user apple on #${H('c')} ~* +@all`);
    expect(renderAclFileHashes(out.join('\n'), 'app', [H('b')]).split('\n')[1]).toBe(`user app on #${H('b')} resetkeys ~order:* -@all +@read`);
  });
  it('a cleartext >password becomes a hash', () => {
    expect(renderAclFileHashes('user app on >secret1234 ~* +@all', 'app', [H('b')])).toBe(`user app on #${H('b')} ~* +@all`);
  });
});

describe('secret files', () => {
  it('an env file keeps its other lines; a new .env gets user and password; a plain file is the password', () => {
    expect(renderSecretFile('# note\nREDIS_USERNAME=app\nREDIS_PASSWORD=old\n', 'x/app.env', 'app', 'new')).toBe('# note\nREDIS_USERNAME=app\nREDIS_PASSWORD=new\n');
    expect(renderSecretFile(undefined, 'x/app.env', 'app', 'new')).toBe('REDIS_USERNAME=app\nREDIS_PASSWORD=new\n');
    expect(renderSecretFile('old\n', 'x/app.pass', 'app', 'new')).toBe('new\n');
  });
  it("include files: masterauth, auth-pass and sentinel-pass follow their user's line only", () => {
    expect(renderIncludeSecrets('masteruser replication\nmasterauth old\n', 'replication', 'new')).toBe('masteruser replication\nmasterauth new\n');
    expect(renderIncludeSecrets('masteruser replication\nmasterauth old\n', 'app', 'new')).toBe('masteruser replication\nmasterauth old\n');
    const sentinel = 'sentinel auth-user gw sentinel\nsentinel auth-pass gw old\nsentinel sentinel-user sentinel\nsentinel sentinel-pass old\n';
    expect(renderIncludeSecrets(sentinel, 'sentinel', 'new')).toBe('sentinel auth-user gw sentinel\nsentinel auth-pass gw new\nsentinel sentinel-user sentinel\nsentinel sentinel-pass new\n');
  });
});

describe('old connections and ACL LOG', () => {
  it('groups the user\'s connections at least that old by source IP, leaving gridctl\'s own out', () => {
    const list = parseClientList(
      [
        'id=1 addr=10.1.1.5:5000 laddr=10.0.0.1:6379 fd=8 name=gateway age=900 idle=0 user=app',
        'id=2 addr=10.1.1.5:5001 laddr=x fd=9 name= age=30 idle=0 user=app',
        'id=3 addr=10.1.1.6:5000 laddr=x fd=9 name= age=2 idle=0 user=app',
        'id=4 addr=10.1.1.7:5000 laddr=x fd=9 name=gridctl age=900 idle=0 user=app',
        'id=5 addr=10.1.1.8:5000 laddr=x fd=9 name= age=900 idle=0 user=admin',
      ].join('\n'),
    );
    expect(groupOldConnections('n1', list, 'app', 10)).toEqual([{ node: 'n1', source: '10.1.1.5', user: 'app', connections: 2, oldestAgeSeconds: 900, names: ['gateway'] }]);
  });
  it('parses ACL LOG entries with the client address', () => {
    const entries = parseAclLog([['count', 3, 'reason', 'auth', 'context', 'toplevel', 'object', 'AUTH', 'username', 'app', 'age-seconds', '1.5', 'client-info', 'id=7 addr=10.1.1.5:5000 laddr=x']]);
    expect(entries).toEqual([{ reason: 'auth', context: 'toplevel', object: 'AUTH', username: 'app', count: 3, ageSeconds: 1.5, clientAddr: '10.1.1.5:5000' }]);
  });
});
