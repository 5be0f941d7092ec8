import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { keySlot, crc16 } from '../../../src/core/restore/crc16-slot.js';
import { globToRegExp } from '../../../src/core/restore/key-glob.js';
import { NamespaceMatcher, NO_PREFIX_GROUP } from '../../../src/core/namespaces/matcher.js';
import { DEFAULT_NAMESPACES } from '../../../src/core/config/defaults.js';
import { applyRetention } from '../../../src/core/backup/retention.js';
import { backupBaseName, stampOf } from '../../../src/core/backup/backup-naming.js';
import { maxRdbVersionFor, payloadRdbVersion, typeCodeFromPayload } from '../../../src/core/backup/dump-payload.js';

describe('cluster slot of a key', () => {
  it('matches the Redis Cluster spec test vector and known slots', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182); // CLUSTER KEYSLOT foo
    expect(keySlot('user:session:1')).toBe(keySlot(Buffer.from('user:session:1')));
  });
  it('hashes only a non-empty {hash tag}', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(crc16(Buffer.from('foo{}{bar}')) & 16383);
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });
});

describe('glob patterns', () => {
  it('follows Redis glob semantics', () => {
    expect(globToRegExp('user:*').test('user:session:1')).toBe(true);
    expect(globToRegExp('user:?').test('user:ab')).toBe(false);
    expect(globToRegExp('h[ae]llo').test('hallo')).toBe(true);
    expect(globToRegExp('h[^e]llo').test('hello')).toBe(false);
    expect(globToRegExp('a\\*b').test('a*b')).toBe(true);
    expect(globToRegExp('a\\*b').test('axb')).toBe(false);
    expect(globToRegExp('x.y').test('xzy')).toBe(false);
  });
});

describe('namespace matcher as the backup manifest uses it', () => {
  const m = { match: (key: string) => matcher.match(key).name };
  const matcher = new NamespaceMatcher(DEFAULT_NAMESPACES, { prefixDepth: 1 });
  it('assigns keys to the most specific gateway namespace they match', () => {
    expect(m.match('user:session:abc')).toBe('user:session:{session_id}');
    expect(m.match('settlement:pending')).toBe('settlement:pending');
    expect(m.match('settlement:42')).toBe('settlement:{settlement_id}');
    expect(m.match('rate_limit:api:10.0.0.1:/api/v1/orders:7')).toBe('rate_limit:api:{ip}:{endpoint}');
    expect(m.match('orderbook:buy')).toBe('orderbook:buy');
    expect(m.match('order_book:sell')).toBe('order_book:sell');
    expect(m.match('something-else')).toBe(NO_PREFIX_GROUP);
    expect(m.match('user:session:')).toBe('user:*');
  });
});

describe('DUMP payload facts', () => {
  it('reads the RDB version trailer and maps server versions', () => {
    const p = Buffer.concat([Buffer.from([0, 3, 0x61, 0x62, 0x63]), Buffer.from([11, 0]), Buffer.alloc(8)]);
    expect(payloadRdbVersion(p)).toBe(11);
    expect(maxRdbVersionFor('7.0.15')).toBe(10);
    expect(maxRdbVersionFor('7.2.4')).toBe(11);
    expect(maxRdbVersionFor('6.2.14')).toBe(9);
    expect(typeCodeFromPayload(p)).toBe(0);
    expect(typeCodeFromPayload(Buffer.from([21]))).toBe(5); // stream listpacks 3
    expect(typeCodeFromPayload(Buffer.from([17]))).toBe(3); // zset listpack
  });
});

describe('retention', () => {
  it('keeps the N newest backups (archive + manifest + rdb) and touches nothing else', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-keep-'));
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const base = backupBaseName(new Date(Date.UTC(2026, 10, 27, 10, i)));
      names.push(base);
      await writeFile(path.join(dir, `${base}.gbk`), 'x');
      await writeFile(path.join(dir, `${base}.manifest.json`), '{}');
    }
    await writeFile(path.join(dir, `${names[0]}.127.0.0.1_6379.rdb`), 'x');
    await writeFile(path.join(dir, 'notes.txt'), 'keep me');
    await writeFile(path.join(dir, `.${names[0]}.gbk.abc.tmp`), 'in progress');
    const deleted = await applyRetention(dir, 2, path.join(dir, `${names[3]}.gbk`));
    expect(deleted).toHaveLength(5);
    const left = (await readdir(dir)).sort();
    expect(left).toEqual([`.${names[0]}.gbk.abc.tmp`, `${names[2]}.gbk`, `${names[2]}.manifest.json`, `${names[3]}.gbk`, `${names[3]}.manifest.json`, 'notes.txt'].sort());
    expect(stampOf(`${names[3]}.gbk`)).toMatch(/^\d{8}T\d{9}Z$/);
    await rm(dir, { recursive: true, force: true });
  });
});
