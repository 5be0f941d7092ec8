import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { PACKAGE_ROOT } from '../../package-root.js';

/**
 * A deliberately small template language for the annotated files in templates/:
 *   {{name}}                 a value (string or number); a line holding only an empty value disappears
 *   {{#flag}} … {{/flag}}    kept when flag is true      {{^flag}} … {{/flag}}  kept when false
 *   {{! note }}              a note for template readers, removed (the ACL file allows no comments)
 * Rendering fails loudly when the template uses a name it was not given (missing), or is given a
 * name it never uses (unknown: usually a renamed placeholder), and when any `{{` survives.
 */
export type TemplateVars = Record<string, string | number | boolean>;

/** templates/ ships at the package root, beside dist/. */
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

const cache = new Map<string, string>();

async function loadTemplate(name: string): Promise<string> {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const file = path.join(TEMPLATES_DIR, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GridctlError('OPERATION_FAILED', `template ${name} is missing from ${TEMPLATES_DIR}`, {
      hint: 'the gridctl package is incomplete; reinstall it',
      cause: err,
    });
  }
  cache.set(name, text);
  return text;
}

export async function renderTemplateFile(name: string, vars: TemplateVars): Promise<string> {
  return renderTemplate(await loadTemplate(name), vars, name);
}

export function renderTemplate(template: string, vars: TemplateVars, label: string): string {
  const used = new Set<string>();
  const fail = (what: string) =>
    new GridctlError('OPERATION_FAILED', `template ${label}: ${what}`, { hint: 'this is a bug in gridctl or in an edited template' });
  const lookup = (name: string, kind: 'value' | 'flag') => {
    if (!(name in vars)) throw fail(`missing ${kind} "${name}"`);
    used.add(name);
    const v = vars[name]!;
    if (kind === 'flag' && typeof v !== 'boolean') throw fail(`"${name}" is used as a section but is not a boolean`);
    if (kind === 'value' && typeof v === 'boolean') throw fail(`"${name}" is a boolean but is used as a value`);
    return v;
  };

  // Notes: a line holding only a note disappears with its newline.
  let out = template.replace(/^[ \t]*\{\{![\s\S]*?\}\}[ \t]*\r?\n/gm, '').replace(/\{\{![\s\S]*?\}\}/g, '');
  // Every name the template mentions must be given, and every name given must be mentioned, even
  // inside a section that this render drops: the same vars must fit every combination of flags.
  const mentioned = new Set([...out.matchAll(/\{\{[#^/]?([A-Za-z0-9_]+)\}\}/g)].map((m) => m[1]!));
  const missing = [...mentioned].filter((n) => !(n in vars));
  if (missing.length) throw fail(`missing variable${missing.length > 1 ? 's' : ''} ${missing.map((u) => `"${u}"`).join(', ')}`);
  for (const n of mentioned) used.add(n);
  // Section tags alone on a line take their line with them.
  out = out.replace(/^[ \t]*(\{\{[#^/][A-Za-z0-9_]+\}\})[ \t]*\r?\n/gm, '$1');
  // Sections, innermost first (a section never contains another of the same name).
  const section = /\{\{([#^])([A-Za-z0-9_]+)\}\}((?:(?!\{\{[#^]\2\}\})[\s\S])*?)\{\{\/\2\}\}/;
  for (let m = section.exec(out); m; m = section.exec(out)) {
    const keep = Boolean(lookup(m[2]!, 'flag')) === (m[1] === '#');
    out = out.slice(0, m.index) + (keep ? m[3]! : '') + out.slice(m.index + m[0].length);
  }
  // A line holding only an empty value disappears.
  out = out.replace(/^[ \t]*\{\{([A-Za-z0-9_]+)\}\}[ \t]*\r?\n/gm, (whole, name: string) => {
    const v = lookup(name, 'value');
    return String(v) === '' ? '' : whole;
  });
  out = out.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (_m, name: string) => String(lookup(name, 'value')));

  const left = out.indexOf('{{');
  if (left >= 0) throw fail(`unrendered tag near "${out.slice(left, left + 30).split('\n')[0]}"`);
  const unknown = Object.keys(vars).filter((k) => !used.has(k));
  if (unknown.length) throw fail(`unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} (not in the template)`);
  return out;
}
