import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderTemplate, TEMPLATES_DIR } from '../../../src/core/scaffold/template.js';

describe('renderTemplate', () => {
  it('fills values, keeps or drops sections, removes notes and their lines', () => {
    const t = '{{! note for readers }}\na {{x}}\n{{#on}}\nkept {{y}}\n{{/on}}\n{{^on}}\ndropped\n{{/on}}\n{{empty}}\nend\n';
    expect(renderTemplate(t, { x: 1, on: true, y: 'v', empty: '' }, 't')).toBe('a 1\nkept v\nend\n');
    expect(renderTemplate(t, { x: 1, on: false, y: 'v', empty: '' }, 't')).toBe('a 1\ndropped\nend\n');
  });

  it('fails loudly on a missing variable, even inside a dropped section', () => {
    expect(() => renderTemplate('{{#on}}{{y}}{{/on}}', { on: false }, 't')).toThrow(/missing variable "y"/);
  });

  it('fails loudly on an unknown (unused) variable', () => {
    expect(() => renderTemplate('a {{x}}', { x: 1, renamed: 2 }, 't')).toThrow(/unknown variable "renamed"/);
  });

  it('fails when a value is used as a section or a flag as a value', () => {
    expect(() => renderTemplate('{{#x}}a{{/x}}', { x: 'yes' }, 't')).toThrow(/not a boolean/);
    expect(() => renderTemplate('{{x}}', { x: true }, 't')).toThrow(/boolean but is used as a value/);
  });

  it('fails when any {{ survives', () => {
    expect(() => renderTemplate('a {{ x }}', {}, 't')).toThrow(/unrendered tag/);
    expect(() => renderTemplate('{{#a}}open', { a: true }, 't')).toThrow(/unrendered tag/);
  });

  it('ships every template in templates/ next to the package, located from import.meta.url', async () => {
    const names = await readdir(TEMPLATES_DIR);
    expect(names).toEqual(expect.arrayContaining(['redis.conf.tmpl', 'sentinel.conf.tmpl', 'users.acl.tmpl', 'RUNBOOK.md.tmpl', 'docker-compose.yml.tmpl']));
    // Redis reads "# x" after a directive as extra arguments: every comment starts its line.
    for (const n of names.filter((x) => /^(redis|sentinel)\.conf/.test(x))) {
      const text = await readFile(path.join(TEMPLATES_DIR, n), 'utf8');
      for (const line of text.split('\n')) if (!line.trimStart().startsWith('#') && !line.includes('{{')) expect(line).not.toMatch(/\s#/);
    }
  });
});
