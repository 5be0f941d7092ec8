import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCa, issueCert } from '../../../src/core/tls/pki.js';

export const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/lint/rules');

export interface FixtureCase {
  ruleId: string;
  expect: 'fail' | 'pass';
  source: string;
  files: Array<{ name: string; mode: number; text: string }>;
  certs: boolean;
  now?: Date;
}

/** Parse every test/fixtures/lint/rules/*.txt into cases (format: see the README there). */
export function loadFixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const f of readdirSync(FIXTURE_DIR).filter((x) => x.endsWith('.txt')).sort()) {
    let current: FixtureCase | undefined;
    let file: FixtureCase['files'][number] | undefined;
    for (const line of readFileSync(path.join(FIXTURE_DIR, f), 'utf8').split('\n')) {
      const head = /^### (\S+) (fail|pass)/.exec(line);
      if (head) {
        current = { ruleId: head[1]!, expect: head[2] as 'fail' | 'pass', source: f, files: [], certs: false };
        cases.push(current);
        file = undefined;
        continue;
      }
      const fh = /^--- (\S+)(?: mode=([0-7]+))?$/.exec(line);
      if (fh && current) {
        if (fh[1] === '@certs') { current.certs = true; file = undefined; continue; }
        file = { name: fh[1]!, mode: fh[2] ? parseInt(fh[2], 8) : 0o600, text: '' };
        current.files.push(file);
        continue;
      }
      if (file) file.text += line + '\n';
    }
  }
  for (const c of cases) {
    const now = c.files.find((x) => x.name === '@now');
    if (now) { c.now = new Date(now.text.trim()); c.files = c.files.filter((x) => x !== now); }
  }
  return cases;
}

/** A throwaway PKI shared by the certificate fixtures. */
export async function makeTestPki(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-lint-pki-'));
  const ca = await createCa(dir, { commonName: 'gridctl lint test CA' });
  const other = await createCa(path.join(dir, 'other'), { commonName: 'other CA', name: 'other-ca' });
  await issueCert(ca, dir, { name: 'server', commonName: 'redis-1', sans: ['127.0.0.1', 'localhost'], usage: 'both' });
  await issueCert(ca, dir, { name: 'serveronly', commonName: 'redis-2', sans: ['127.0.0.1'], usage: 'server' });
  await issueCert(ca, dir, { name: 'dnsonly', commonName: 'redis-3', sans: ['redis-3.internal'], usage: 'both' });
  await issueCert(other, dir, { name: 'foreign', commonName: 'intruder', sans: ['127.0.0.1'], usage: 'both' });
  return dir;
}

export async function materialise(c: FixtureCase, pki: string | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gridctl-lint-${c.ruleId}-`));
  if (c.certs && pki) await cp(pki, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}other`) || src.endsWith('other') || src.endsWith('other-ca.crt') });
  for (const f of c.files) {
    await mkdir(path.dirname(path.join(dir, f.name)), { recursive: true });
    await writeFile(path.join(dir, f.name), f.text, { mode: f.mode });
  }
  return dir;
}
