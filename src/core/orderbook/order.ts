import { parseDecimal, sub, type Decimal } from './decimal.js';

/** An order-book member (DESIGN.md; the gateway's BookOrder), with its decimals parsed. */
export interface BookOrder {
  id: string;
  userId: string;
  side: 'Buy' | 'Sell';
  price: Decimal;
  priceText: string;
  energyAmount: Decimal;
  filledAmount: Decimal;
  /** energy_amount - filled_amount. */
  remaining: Decimal;
  expiresAt: number | undefined;
}

export type ParsedMember = { ok: true; order: BookOrder } | { ok: false; reason: string };

/** Decimal fields come as strings from rust_decimal; a JSON number is accepted through its text. */
function decimalField(o: Record<string, unknown>, name: string): Decimal | string {
  const v = o[name];
  if (typeof v !== 'string' && typeof v !== 'number') return `${name} missing or not a decimal string`;
  const d = parseDecimal(String(v));
  return d ?? `${name} "${String(v)}" is not a decimal`;
}

function timeField(o: Record<string, unknown>, name: string): number | undefined {
  const v = o[name];
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Parse one sorted-set member; the reason names the first thing wrong, for the audit's samples. */
export function parseBookMember(member: string): ParsedMember {
  let raw: unknown;
  try {
    raw = JSON.parse(member);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object' };
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id === '') return { ok: false, reason: 'id missing' };
  if (o.side !== 'Buy' && o.side !== 'Sell') return { ok: false, reason: `side ${JSON.stringify(o.side)} is not "Buy" or "Sell"` };
  const price = decimalField(o, 'price');
  const energy = decimalField(o, 'energy_amount');
  const filled = o.filled_amount === undefined ? parseDecimal('0')! : decimalField(o, 'filled_amount');
  for (const d of [price, energy, filled]) if (typeof d === 'string') return { ok: false, reason: d };
  const p = price as Decimal;
  const e = energy as Decimal;
  const f = filled as Decimal;
  return {
    ok: true,
    order: {
      id: o.id,
      userId: typeof o.user_id === 'string' ? o.user_id : '',
      side: o.side,
      price: p,
      priceText: String(o.price),
      energyAmount: e,
      filledAmount: f,
      remaining: f.coef === 0n ? e : sub(e, f),
      expiresAt: timeField(o, 'expires_at'),
    },
  };
}
