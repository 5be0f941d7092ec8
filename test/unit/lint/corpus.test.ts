import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../../src/core/lint/engine.js';
import { defaultContext } from '../../../src/core/lint/context.js';

/**
 * The wild corpus (../shared/corpus/wild): 27 real files with boot verdicts from redis-server
 * 7.0.15. check must never crash on any of them, and for every file Redis refused because of the
 * file itself (cause "config") it must report an error whose message names that cause.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/wild');
const present = existsSync(path.join(corpus, 'verdicts.json'));

interface Verdict { file: string; kind: string; verdict: 'BOOTS' | 'REFUSED'; cause: 'config' | 'environment' | null; reason: string }

/** What the error message must mention for each config refusal: the real cause, not just "something is wrong". */
const CAUSES: Record<string, RegExp> = {
  'running-coder__nanolooker__users.acl': /comment/i,
  'emretosn__redis-forensics__redis_users.acl': /comment/i,
  'gentjankolicaj__wonderland__redis_users.acl': /client\|setinfo/,
  'schmolldechse__navigator__redis_users.acl': /your-password.*Syntax error|> prefix/,
  'AD-SDL__wei__redis.conf': /\$HOME/,
  'FosterG4__Redis-Cluster-Sentinel__sentinel.conf': /SENTINEL_QUORUM.*(placeholder|Quorum)/,
  'DeepBoda__eks-configs__sentinel.conf': /resolve-hostnames/,
};

describe.skipIf(!present)(`wild corpus (${present ? corpus : 'absent: ../shared/corpus/wild not found, skipped'})`, () => {
  const verdicts = present ? (JSON.parse(readFileSync(path.join(corpus, 'verdicts.json'), 'utf8')) as Verdict[]) : [];

  it('has the 27 files with verdicts', () => {
    expect(verdicts).toHaveLength(27);
  });

  it('never crashes, and classifies each file as its corpus kind', () => {
    for (const v of verdicts) {
      const r = lintFiles([path.join(corpus, v.file)], defaultContext());
      const kind = v.kind === 'cluster' ? 'redis' : v.kind;
      expect(r.files[0]!.kind, v.file).toBe(kind);
    }
  });

  it('names the cause of every config refusal in an error finding', () => {
    const refused = verdicts.filter((v) => v.verdict === 'REFUSED' && v.cause === 'config');
    expect(refused).toHaveLength(7);
    for (const v of refused) {
      const r = lintFiles([path.join(corpus, v.file)], defaultContext());
      const errors = r.findings.filter((f) => f.severity === 'error');
      const want = CAUSES[v.file];
      expect(want, `no expected cause listed for ${v.file}`).toBeDefined();
      expect(errors.some((f) => want!.test(f.message)), `${v.file}: no error naming ${want} in ${errors.map((e) => `${e.ruleId}: ${e.message}`).join(' | ')}`).toBe(true);
      expect(errors.every((f) => f.line >= 0 && f.file.endsWith(v.file))).toBe(true);
    }
  });

  it('reports no parse-level error (CFG001-CFG006, CFG008, VER001) on files Redis boots', () => {
    const fatal = /^(CFG00[1-68]|VER001|AUTH011|AUTH013|AUTH014|AUTH003|SEN003|SEN011)$/;
    for (const v of verdicts.filter((x) => x.verdict === 'BOOTS')) {
      const r = lintFiles([path.join(corpus, v.file)], defaultContext());
      expect(r.findings.filter((f) => fatal.test(f.ruleId)).map((f) => `${f.ruleId} ${f.message}`), v.file).toEqual([]);
    }
  });
});
