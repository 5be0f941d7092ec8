import type { AnyRedis } from '../redis/connect.js';
import { compare, parseDecimal } from './decimal.js';

/** The stored summary the gateway keeps next to the book: {best_bid, best_ask, mid_price, spread, updated_at}. */
export interface StoredMetadata {
  present: boolean;
  /** hash (seed layout) or string (JSON, the running gateway). */
  type: string;
  /** null: no TTL (the gateway sets 24h). undefined when absent. */
  ttlMs: number | null;
  fields: Record<string, string | null>;
  /** Set when the value exists but is not the expected shape (e.g. a string that is not JSON). */
  unreadable?: string;
  updatedAt?: string;
  ageMs?: number;
}

const FIELDS = ['best_bid', 'best_ask', 'mid_price', 'spread'] as const;

export async function readMetadata(client: AnyRedis, key: string, now = Date.now()): Promise<StoredMetadata> {
  const [type, pttl] = await Promise.all([client.type(key), client.pttl(key)]);
  if (type === 'none') return { present: false, type, ttlMs: null, fields: {} };
  const meta: StoredMetadata = { present: true, type, ttlMs: pttl === -1 ? null : pttl, fields: {} };
  let raw: Record<string, unknown> = {};
  if (type === 'hash') {
    raw = await client.hgetall(key);
  } else if (type === 'string') {
    const text = (await client.get(key)) ?? '';
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
      else meta.unreadable = 'the JSON is not an object';
    } catch {
      meta.unreadable = 'not JSON';
    }
  } else {
    meta.unreadable = `unexpected type ${type}`;
  }
  for (const f of [...FIELDS, 'updated_at']) {
    const v = raw[f];
    if (v !== undefined) meta.fields[f] = v === null ? null : String(v);
  }
  const updated = meta.fields.updated_at;
  if (updated) {
    meta.updatedAt = updated;
    const t = Date.parse(updated);
    if (!Number.isNaN(t)) meta.ageMs = now - t;
  }
  return meta;
}

export interface MetadataDrift {
  field: (typeof FIELDS)[number];
  stored: string | null;
  actual: string | null;
}

/** Fields whose stored value differs from the book as it is (compared as exact decimals; "0.150" equals "0.15"). */
export function metadataDrift(meta: StoredMetadata, actual: Record<(typeof FIELDS)[number], string | null>): MetadataDrift[] {
  if (!meta.present || meta.unreadable) return [];
  const drift: MetadataDrift[] = [];
  for (const field of FIELDS) {
    const stored = meta.fields[field] ?? null;
    const now = actual[field];
    const a = stored === null ? undefined : parseDecimal(stored);
    const b = now === null ? undefined : parseDecimal(now);
    const same = stored === null || now === null ? stored === now : a !== undefined && b !== undefined && compare(a, b) === 0;
    if (!same) drift.push({ field, stored, actual: now });
  }
  return drift;
}
