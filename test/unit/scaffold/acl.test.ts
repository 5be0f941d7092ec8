import { describe, expect, it } from 'vitest';
import { passwordHash, renderAclUsers, rolesFor } from '../../../src/core/scaffold/acl.js';
import { buildInitialConfig, defaultAnswers, resolveModel } from '../../../src/core/scaffold/model.js';
import type { Role } from '../../../src/core/config/schema-deployment.js';

const model = (topology: 'standalone' | 'sentinel' | 'cluster') => resolveModel(buildInitialConfig(defaultAnswers({ topology })));
const passwords = Object.fromEntries(['admin', 'app', 'monitor', 'backup', 'restore', 'replication', 'sentinel'].map((r) => [r, `pw-${r}-`.padEnd(64, 'x')])) as Record<Role, string>;

describe('users.acl', () => {
  it('follows ACL-file syntax: user lines only, single spaces, no comments, no quotes; default off first', () => {
    for (const t of ['standalone', 'sentinel', 'cluster'] as const) {
      const lines = renderAclUsers(model(t), passwords, 'data');
      expect(lines[0]).toBe('user default off resetpass resetkeys resetchannels -@all');
      for (const l of lines) {
        expect(l).toMatch(/^user [A-Za-z0-9_.-]+ /);
        expect(l).not.toMatch(/["']|\s{2}|\t/);
        expect(l.replace(/ #[0-9a-f]{64}/, '')).not.toContain('#');
      }
    }
  });

  it('stores passwords only as lowercase sha256 hex', () => {
    const lines = renderAclUsers(model('standalone'), passwords, 'data').join('\n');
    expect(lines).not.toContain(passwords.app);
    expect(lines).toContain(`#${passwordHash(passwords.app)}`);
    expect(passwordHash('a')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('app: its namespaces and channels only, never ~* or @dangerous; -@dangerous is last', () => {
    const app = renderAclUsers(model('sentinel'), passwords, 'data').find((l) => l.startsWith('user app '))!;
    expect(app).not.toMatch(/ ~\* | allkeys| &\* |\+@all|\+@dangerous|\+@admin/);
    expect(app).toContain(' ~order:* ');
    expect(app).toContain(' &market:events ');
    expect(app.endsWith(' -@dangerous')).toBe(true);
  });

  it('monitor has no CONFIG and no keys; backup is read-only; replication is the documented minimum', () => {
    const lines = renderAclUsers(model('sentinel'), passwords, 'data');
    const monitor = lines.find((l) => l.startsWith('user monitor '))!;
    expect(monitor).not.toMatch(/config|~|\+@/);
    const backup = lines.find((l) => l.startsWith('user backup '))!;
    expect(backup).toContain('%R~*');
    expect(backup).not.toMatch(/\+@write|\+set|\+del|\+restore|\+@all/);
    expect(lines.find((l) => l.startsWith('user replication '))!.endsWith('-@all +psync +replconf +ping')).toBe(true);
  });

  it('has users only for roles the topology needs', () => {
    expect(rolesFor(model('standalone'))).not.toContain('replication');
    expect(rolesFor(model('cluster'))).toContain('replication');
    expect(rolesFor(model('cluster'))).not.toContain('sentinel');
    expect(rolesFor(model('sentinel'))).toContain('sentinel');
  });
});
