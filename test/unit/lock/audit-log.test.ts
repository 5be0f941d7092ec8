import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appendAuditRecord, type ForceReleaseAuditRecord } from '../../../src/core/lock/audit-log.js';

const record: ForceReleaseAuditRecord = {
  time: '2026-12-07T12:00:00.000Z',
  action: 'lock.release.force',
  key: 'lock:job',
  type: 'string',
  removed: 'f00dfeed',
  ttlMsLeft: null,
  target: 'redis://127.0.0.1:6379',
  operator: 'ops',
  host: 'h',
  pid: 1,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the lock audit log (issue 24 item 11)', () => {
  it('is created 0600 and appended to', async () => {
    const file = path.join(dir, 'state', 'audit.jsonl');
    await appendAuditRecord(file, record);
    await appendAuditRecord(file, { ...record, removed: 'second' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).removed)).toEqual(['f00dfeed', 'second']);
  });

  it('never follows a symlink: the target stays untouched, the error says why', async () => {
    const target = path.join(dir, 'world-readable.txt');
    await writeFile(target, 'before\n', { mode: 0o644 });
    await chmod(target, 0o644);
    const link = path.join(dir, 'audit.jsonl');
    await symlink(target, link);
    await expect(appendAuditRecord(link, record)).rejects.toMatchObject({ code: 'OPERATION_FAILED', message: expect.stringContaining('symbolic link') });
    expect(await readFile(target, 'utf8')).toBe('before\n');
    expect((await stat(target)).mode & 0o777).toBe(0o644);
  });

  it('narrows an existing looser file to 0600', async () => {
    const file = path.join(dir, 'audit.jsonl');
    await writeFile(file, '');
    await chmod(file, 0o644);
    await appendAuditRecord(file, record);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
