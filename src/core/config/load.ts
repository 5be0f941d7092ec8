import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { GridctlError } from '../errors.js';
import { configSchema, type GridctlConfig } from './schema.js';

export interface LoadedConfig {
  /** Absolute path of the file, or undefined when no file was found and none was required. */
  path: string | undefined;
  config: GridctlConfig;
}

/**
 * Load gridctl.yaml. A missing file is fine when the path was only the default (most live
 * commands need no config); a missing file that was asked for (--config or GRIDCTL_CONFIG) is an error.
 */
export async function loadConfig(filePath: string, opts: { required: boolean }): Promise<LoadedConfig> {
  const abs = path.resolve(filePath);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !opts.required) return { path: undefined, config: {} };
    if (code === 'ENOENT') {
      throw new GridctlError('CONFIG_NOT_FOUND', `config file not found: ${filePath}`, {
        hint: 'check --config / GRIDCTL_CONFIG, or create one with `gridctl init`',
        cause: err,
      });
    }
    throw new GridctlError('CONFIG_INVALID', `cannot read config file ${filePath}: ${(err as Error).message}`, { cause: err });
  }
  return { path: abs, config: parseConfigText(text, filePath) };
}

/** Parse and validate gridctl.yaml text; every error names file:line:col. */
export function parseConfigText(text: string, fileLabel: string): GridctlConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    const reason = yamlError.message.split('\n')[0] ?? 'invalid YAML';
    throw new GridctlError('CONFIG_INVALID', `${fileLabel}:${pos.line}:${pos.col}: invalid YAML: ${reason}`, {
      location: { file: fileLabel, line: pos.line, column: pos.col },
      hint: 'fix the YAML syntax at that position (indentation, a missing colon or quote)',
    });
  }
  const raw = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  let keyPath = issuePath;
  let message = issue.message;
  let hint: string | undefined;
  if (issue.code === 'unrecognized_keys') {
    const unknownKey = issue.keys[0]!;
    keyPath = [...issuePath, unknownKey];
    const known = knownKeysAt(configSchema, issuePath);
    const suggestion = known.length ? closest(unknownKey, known) : undefined;
    message = `unknown key "${unknownKey}"`;
    if (suggestion && distance(unknownKey, suggestion) <= Math.max(2, Math.floor(unknownKey.length / 3))) {
      message += ` (did you mean "${suggestion}"?)`;
      hint = `rename "${unknownKey}" to "${suggestion}"`;
    } else if (known.length) {
      hint = `allowed keys here: ${known.join(', ')}`;
    }
  }
  const pos = positionOf(doc, keyPath, lineCounter, issue.code === 'unrecognized_keys');
  const where = keyPath.length ? keyPath.join('.') : '(root)';
  const loc = pos ? `${fileLabel}:${pos.line}:${pos.col}` : fileLabel;
  throw new GridctlError('CONFIG_INVALID', `${loc}: ${where}: ${message}`, {
    location: { file: fileLabel, ...(pos ? { line: pos.line, column: pos.col } : {}) },
    ...(hint ? { hint } : { hint: 'see schema/gridctl.schema.json for the allowed keys and values' }),
  });
}

/** Position of the node at `keyPath` (the key itself when asked, so "unknown key" points at the key). */
function positionOf(
  doc: ReturnType<typeof parseDocument>,
  keyPath: Array<string | number>,
  lc: LineCounter,
  pointAtKey: boolean,
): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = doc.contents as YamlNode | undefined;
  for (let i = 0; i < keyPath.length; i++) {
    const seg = keyPath[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(seg));
      if (!pair) break;
      const last = i === keyPath.length - 1;
      found = (last && pointAtKey ? pair.key : (pair.value ?? pair.key)) as YamlNode;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      found = node as YamlNode;
    } else break;
  }
  const range = (found as { range?: [number, number, number] } | undefined)?.range;
  return range ? lc.linePos(range[0]) : undefined;
}

/** The keys the schema allows at a path (for did-you-mean). Walks objects, records, arrays and wrappers. */
function knownKeysAt(schema: z.ZodType, keyPath: Array<string | number>): string[] {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    let cur = x as { def?: { type?: string; innerType?: unknown } };
    while (cur?.def && (cur.def.type === 'optional' || cur.def.type === 'default' || cur.def.type === 'nullable')) {
      cur = cur.def.innerType as typeof cur;
    }
    return cur;
  };
  s = unwrap(s);
  for (const seg of keyPath) {
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; valueType?: unknown; element?: unknown } }).def;
    if (!def) return [];
    if (def.type === 'object') s = def.shape?.[String(seg)];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return [];
    s = unwrap(s);
  }
  const shape = (s as { def?: { type?: string; shape?: Record<string, unknown> } })?.def;
  return shape?.type === 'object' && shape.shape ? Object.keys(shape.shape) : [];
}
