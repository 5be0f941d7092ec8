import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, visit, type Document, type Node as YamlNode, type YAMLError } from 'yaml';
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
 * gridctl.yaml describes a deployment: kilobytes, a few hundred KiB with thousands of targets. A
 * bigger file is a mistake (or an attack) that would take the parser seconds and gigabytes.
 */
const MAX_CONFIG_BYTES = 4 << 20;

/**
 * Load gridctl.yaml. A missing file is fine when the path was only the default (most live
 * commands need no config); a missing file that was asked for (--config or GRIDCTL_CONFIG) is an
 * error. `label` is how messages name the file (the path as the operator gave it).
 */
export async function loadConfig(filePath: string, opts: { required: boolean; label?: string }): Promise<LoadedConfig> {
  const abs = path.resolve(filePath);
  const label = opts.label ?? filePath;
  const text = await readConfigFile(abs, label, opts.required);
  if (text === undefined) return { path: undefined, config: {} };
  return { path: abs, config: parseConfigText(text, label) };
}

/**
 * Read a regular file of at most MAX_CONFIG_BYTES. Opened non-blocking, then checked: a FIFO
 * would block the open (and a worker thread that Node waits for at exit, so even SIGTERM could
 * not end gridctl), a device such as /dev/urandom never ends.
 */
async function readConfigFile(abs: string, label: string, required: boolean): Promise<string | undefined> {
  let file: FileHandle;
  try {
    file = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    if (code === 'ENOENT') {
      throw new GridctlError('CONFIG_NOT_FOUND', `config file not found: ${label}`, { hint: 'check --config / GRIDCTL_CONFIG, or create one with `gridctl init`', cause: err });
    }
    throw new GridctlError('CONFIG_INVALID', `cannot read config file ${label}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) {
      throw new GridctlError('CONFIG_INVALID', `config file ${label} is not a regular file (${kindOf(stat)})`, { hint: 'point --config at a gridctl.yaml file (write a generated config to a file first)' });
    }
    if (stat.size > MAX_CONFIG_BYTES) throw tooBig(label, stat.size);
    // Read one byte past the cap: a file that grows while it is read is caught too.
    const buf = Buffer.alloc(Math.min(stat.size, MAX_CONFIG_BYTES) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await file.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > MAX_CONFIG_BYTES) throw tooBig(label, got);
      if (got === buf.length) break;
    }
    return buf.toString('utf8', 0, got);
  } catch (err) {
    if (err instanceof GridctlError) throw err;
    throw new GridctlError('CONFIG_INVALID', `cannot read config file ${label}: ${(err as Error).message}`, { cause: err });
  } finally {
    await file.close();
  }
}

function tooBig(label: string, bytes: number): GridctlError {
  return new GridctlError('CONFIG_INVALID', `config file ${label} is ${(bytes / 1048576).toFixed(1)} MiB; gridctl reads at most ${MAX_CONFIG_BYTES / 1048576} MiB`, {
    hint: 'a gridctl.yaml holds a deployment model and its targets: check that --config names the right file',
  });
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  return 'not a file';
}

/** Parse and validate gridctl.yaml text; every error names file:line:col and shows that line. */
export function parseConfigText(text: string, fileLabel: string): GridctlConfig {
  const lineCounter = new LineCounter();
  // uniqueKeys compares every key with every other (quadratic: 40k targets took 12 s); duplicateKey() is linear.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const { offset, reason } = syntaxErrorStart(doc, yamlError);
    throw yamlProblem(text, fileLabel, lineCounter, offset, `invalid YAML: ${reason}`, 'fix the YAML syntax at that position (indentation, a missing colon, quote or bracket)');
  }
  const dup = duplicateKey(doc);
  if (dup) throw yamlProblem(text, fileLabel, lineCounter, dup.offset, `invalid YAML: key "${dup.key}" appears twice in the same mapping`, 'keep one of them');
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (err) {
    // An alias bomb (a few lines that expand to billions of nodes) or an alias without its anchor.
    const message = (err as Error).message;
    const bomb = /resource exhaustion|alias count/i.test(message);
    throw yamlProblem(text, fileLabel, lineCounter, firstAliasOffset(doc), bomb ? `invalid YAML: aliases expand too far (more than ${MAX_ALIAS_COUNT} per anchor)` : `invalid YAML: ${message.split('\n')[0]}`, bomb ? 'write the values out; gridctl.yaml needs no nested aliases' : 'define the anchor (&name) before the alias (*name)');
  }
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
  const offset = offsetOf(doc, keyPath, issue.code === 'unrecognized_keys');
  const where = keyPath.length ? keyPath.join('.') : '(root)';
  const why = hint ?? 'see schema/gridctl.schema.json for the allowed keys and values';
  if (offset === undefined) throw new GridctlError('CONFIG_INVALID', `${fileLabel}: ${where}: ${message}`, { location: { file: fileLabel }, hint: why });
  throw yamlProblem(text, fileLabel, lineCounter, offset, `${where}: ${message}`, why);
}

/** Anchors a document may reference per alias before it counts as an alias bomb (yaml's default). */
const MAX_ALIAS_COUNT = 100;

/**
 * One error at `offset`: "file:line:col: what", then that line and a caret under the column, so
 * the operator sees the construct without opening the file.
 */
function yamlProblem(text: string, file: string, lc: LineCounter, offset: number, what: string, hint: string): GridctlError {
  const { line, col } = lc.linePos(Math.min(offset, text.length));
  const lineText = (text.split(/\r?\n/)[line - 1] ?? '').replace(/\t/g, ' ');
  const gutter = String(line);
  const frame = lineText.trim() ? `\n  ${gutter} | ${lineText}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, col - 1))}^` : '';
  return new GridctlError('CONFIG_INVALID', `${file}:${line}:${col}: ${what}${frame}`, {
    location: { file, line, column: col, ...(lineText.trim() ? { text: lineText } : {}) },
    hint,
  });
}

/**
 * Where the construct a syntax error is about begins. The parser notices a missing "]", "}" or
 * closing quote only where the file (or the block) ends; the operator needs the line that opened it.
 */
function syntaxErrorStart(doc: Document.Parsed, error: YAMLError): { offset: number; reason: string } {
  const at = error.pos[0];
  const message = error.message.split('\n')[0] ?? 'invalid YAML';
  const wanted = /Flow sequence/i.test(message) ? 'seq' : /Flow map/i.test(message) ? 'map' : /closing "quote/i.test(message) ? 'QUOTE_DOUBLE' : /closing 'quote/i.test(message) ? 'QUOTE_SINGLE' : undefined;
  if (!wanted) return { offset: at, reason: message };
  let start: number | undefined;
  visit(doc, (_key, node) => {
    const range = (node as { range?: [number, number, number] }).range;
    if (!range || range[0] >= at || range[2] < at) return;
    const kind = isSeq(node) && node.flow ? 'seq' : isMap(node) && node.flow ? 'map' : isScalar(node) ? node.type : undefined;
    if (kind === wanted && (start === undefined || range[0] > start)) start = range[0];
  });
  if (start === undefined) return { offset: at, reason: message };
  const reason = wanted === 'seq' ? '"[" opened here is not closed by "]"' : wanted === 'map' ? '"{" opened here is not closed by "}"' : `the ${wanted === 'QUOTE_DOUBLE' ? 'double' : 'single'} quote opened here is not closed`;
  return { offset: start, reason };
}

/** The first key that repeats within one mapping, in one pass (a Set per mapping). */
function duplicateKey(doc: Document.Parsed): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
        const name = String(k && typeof k === 'object' && 'value' in k ? k.value : k);
        if (seen.has(name)) {
          found = { key: name, offset: k?.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        seen.add(name);
      }
      return undefined;
    },
  });
  return found;
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** Offset of the node at `keyPath` (the key itself when asked, so "unknown key" points at the key). */
function offsetOf(doc: Document.Parsed, keyPath: Array<string | number>, pointAtKey: boolean): number | undefined {
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
  return range?.[0];
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
