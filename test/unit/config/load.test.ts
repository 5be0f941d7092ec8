import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../../../src/core/config/load.js';
import { buildJsonSchema } from '../../../src/core/config/json-schema.js';
import { GridctlError } from '../../../src/core/errors.js';

function errorOf(text: string): GridctlError {
  try {
    parseConfigText(text, 'gridctl.yaml');
  } catch (err) {
    return err as GridctlError;
  }
  throw new Error('expected an error');
}

describe('gridctl.yaml loader', () => {
  it('accepts a valid model with targets, topology, slo and namespaces', () => {
    const config = parseConfigText(
      [
        'version: 1',
        'topology: { kind: sentinel, masterName: grid }',
        'targets:',
        '  prod:',
        '    url: rediss://monitor@10.0.0.5:6380',
        '    passwordEnv: MONITOR_PASSWORD',
        '    tls: { ca: ca.crt }',
        'slo: { latencyMs: 2, memoryPercent: 60 }',
        'namespaces:',
        '  - { pattern: "user:session:{id}", kind: ephemeral, ttl: 24h }',
      ].join('\n'),
      'gridctl.yaml',
    );
    expect(config.targets?.prod?.url).toBe('rediss://monitor@10.0.0.5:6380');
    expect(config.slo?.memoryPercent).toBe(60);
    expect(config.namespaces?.[0]?.kind).toBe('ephemeral');
  });

  it('reports malformed YAML with line and column, exit 3', () => {
    const err = errorOf('targets:\n  prod:\n    url: "redis://x\n  bad: [\n');
    expect(err.exitCode).toBe(3);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/^gridctl\.yaml:\d+:\d+: invalid YAML/);
    expect(err.location?.line).toBeGreaterThan(0);
  });

  it('rejects an unknown key with a did-you-mean and its exact position', () => {
    const err = errorOf('slo:\n  latencyMs: 1\n  memoryPercnt: 60\n');
    expect(err.exitCode).toBe(3);
    expect(err.message.split('\n')[0]).toBe('gridctl.yaml:3:3: slo.memoryPercnt: unknown key "memoryPercnt" (did you mean "memoryPercent"?)');
    expect(err.hint).toContain('memoryPercent');
  });

  it('finds unknown keys inside records (targets.<name>)', () => {
    const err = errorOf('targets:\n  prod:\n    urll: redis://a:1\n');
    expect(err.message).toContain('gridctl.yaml:3:5');
    expect(err.message).toContain('did you mean "url"');
  });

  it('lists the allowed keys when nothing is close', () => {
    const err = errorOf('zzzzzzzz: 1\n');
    expect(err.message).toContain('unknown key "zzzzzzzz"');
    expect(err.hint).toContain('targets');
  });

  it('reports a wrong type at the value position', () => {
    const err = errorOf('slo:\n  latencyMs: fast\n');
    expect(err.message).toMatch(/^gridctl\.yaml:2:14: slo\.latencyMs: /);
  });

  it('rejects a bad enum value', () => {
    const err = errorOf('topology:\n  kind: galaxy\n');
    expect(err.message).toContain('gridctl.yaml:2:9: topology.kind');
  });

  it('treats an empty file as an empty model', () => {
    expect(parseConfigText('', 'gridctl.yaml')).toEqual({});
  });

  it('the shipped JSON Schema matches the zod model', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../../schema/gridctl.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(buildJsonSchema())));
  });
});
