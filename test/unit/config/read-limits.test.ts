import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/load.js';
import { GridctlError } from '../../../src/core/errors.js';

/** Issue 24 item 7: a huge or hostile gridctl.yaml is refused quickly with exit 3, never parsed for minutes. */
async function refusal(text: string): Promise<GridctlError> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-config-limits-'));
  const file = path.join(dir, 'gridctl.yaml');
  await writeFile(file, text);
  try {
    await loadConfig(file, { required: true, label: 'gridctl.yaml' });
  } catch (err) {
    return err as GridctlError;
  }
  throw new Error('expected the config to be refused');
}

describe('config read limits', () => {
  it('a file over 4 MiB is refused by its size before it is parsed', async () => {
    const err = await refusal('version: 1\n' + `# ${'x'.repeat(100)}\n`.repeat(50_000));
    expect(err).toBeInstanceOf(GridctlError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/gridctl\.yaml is 4\.9 MiB; gridctl reads at most 4 MiB/);
  });

  it('an alias bomb (a few lines expanding to billions of nodes) is a config error naming its line', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const err = await refusal(`version: 1\nx-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^gridctl\.yaml:\d+:\d+: invalid YAML: aliases expand too far/);
  });

  it('40 000 targets load, and a duplicate key among them is found with its line', async () => {
    const targets = Array.from({ length: 40_000 }, (_, i) => `  t${i}: { url: "redis://10.0.${i >> 8 & 255}.${i & 255}:6379" }`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridctl-config-limits-'));
    const file = path.join(dir, 'gridctl.yaml');
    await writeFile(file, `version: 1\ntargets:\n${targets.join('\n')}\n`);
    const loaded = await loadConfig(file, { required: true });
    expect(Object.keys(loaded.config.targets ?? {})).toHaveLength(40_000);
    const err = await refusal(`version: 1\ntargets:\n${targets.join('\n')}\n  t17: { url: "redis://h:1" }\n`);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^gridctl\.yaml:40003:3: invalid YAML: key "t17" appears twice in the same mapping/);
  });
});
