import { readFile } from 'node:fs/promises';
import { GridctlError } from '../errors.js';
import type { BaselineComparison, BaselineRow, NamespaceStats } from './types.js';

interface BaselineNamespace {
  name: string;
  keys: number;
  bytes: number;
}

/** Read a previous `gridctl memory --json` report; only namespaces[].{name,keys,bytes} are needed. */
export async function loadBaseline(file: string): Promise<{ generatedAt?: string; namespaces: BaselineNamespace[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new GridctlError('USAGE', `cannot read --baseline ${file}: ${(err as Error).message}`, { hint: 'save a baseline first: gridctl memory --json > previous.json', cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new GridctlError('USAGE', `--baseline ${file} is not JSON: ${(err as Error).message}`, { hint: 'the baseline is the output of gridctl memory --json', cause: err });
  }
  const namespaces = (data as { namespaces?: unknown }).namespaces;
  if (!Array.isArray(namespaces) || !namespaces.every((n) => n && typeof n.name === 'string' && typeof n.keys === 'number' && typeof n.bytes === 'number')) {
    throw new GridctlError('USAGE', `--baseline ${file} is not a gridctl memory report (no namespaces[] with name, keys, bytes)`, {
      hint: 'the baseline is the output of gridctl memory --json',
    });
  }
  const generatedAt = (data as { generatedAt?: unknown }).generatedAt;
  return { ...(typeof generatedAt === 'string' ? { generatedAt } : {}), namespaces: namespaces as BaselineNamespace[] };
}

/** Growth per namespace between the baseline and now, largest byte growth first. */
export function compareWithBaseline(file: string, before: { generatedAt?: string; namespaces: BaselineNamespace[] }, now: NamespaceStats[]): BaselineComparison {
  const prev = new Map(before.namespaces.map((n) => [n.name, n]));
  const names = new Set([...prev.keys(), ...now.map((n) => n.name)]);
  const current = new Map(now.map((n) => [n.name, n]));
  const rows: BaselineRow[] = [];
  for (const name of names) {
    const b = prev.get(name);
    const a = current.get(name);
    const bytesBefore = b?.bytes ?? 0;
    const bytesAfter = a?.bytes ?? 0;
    rows.push({
      namespace: name,
      keysBefore: b?.keys ?? 0,
      keysAfter: a?.keys ?? 0,
      bytesBefore,
      bytesAfter,
      bytesDelta: bytesAfter - bytesBefore,
      growthPercent: growth(bytesBefore, bytesAfter),
    });
  }
  rows.sort((x, y) => y.bytesDelta - x.bytesDelta || (x.namespace < y.namespace ? -1 : 1));
  const sum = (f: (r: BaselineRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const bytesBefore = sum((r) => r.bytesBefore);
  const bytesAfter = sum((r) => r.bytesAfter);
  return {
    file,
    ...(before.generatedAt ? { generatedAt: before.generatedAt } : {}),
    totals: { keysBefore: sum((r) => r.keysBefore), keysAfter: sum((r) => r.keysAfter), bytesBefore, bytesAfter, bytesDelta: bytesAfter - bytesBefore, growthPercent: growth(bytesBefore, bytesAfter) },
    namespaces: rows,
  };
}

function growth(before: number, after: number): number | null {
  if (before === 0) return after === 0 ? 0 : null;
  return Math.round(((after - before) / before) * 1000) / 10;
}
