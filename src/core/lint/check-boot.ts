import { bootFiles } from './boot.js';
import { bootRule } from './rules/live.js';
import type { CheckedFile } from './engine.js';
import type { BootResult } from './report.js';
import type { Finding } from './types.js';

/** `check --boot`: each file started by the real redis-server; a refusal is an error finding at the line Redis names. */
export async function bootCheck(files: CheckedFile[], opts: { redisServer?: string }): Promise<{ boot: BootResult[]; findings: Finding[] }> {
  const boot = await bootFiles(files, opts);
  const findings: Finding[] = [];
  for (const b of boot) {
    if (b.booted || b.skipped) continue;
    const at = b.at ?? { file: b.file, line: 0 };
    const message = `redis-server ${b.version ?? ''} refused to start: ${b.reason ?? 'unknown reason'}`.replace('  ', ' ');
    findings.push({ ruleId: bootRule.id, severity: 'error', title: bootRule.title, message, file: at.file, line: at.line, fix: bootRule.fix, docs: bootRule.docs });
  }
  return { boot, findings };
}
